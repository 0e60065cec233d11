"""ReportLoader contract: real-format reports load; anything that looks wrong leaves the old rows in place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from application.ports import UnitOfWorkFactory
from application.records import Window
from application.sync.load import load_report
from application.sync.ports import CsvSource, ReportLoader
from application.sync.records import FailureKind, LoadPolicy, ReportName, ReportResult
from application.sync.specs import SPECS
from tests.sync_support import BytesSource, fixture_bytes

ALL_TIME = Window(date(2000, 1, 1), date(2100, 1, 1))
POLICY = LoadPolicy(min_rows_for_ratio=3)
HTML = b"<!DOCTYPE html>\n<html><body><h1>502 Bad Gateway</h1></body></html>\n"


@dataclass
class LoaderHarness:
    """A loader and a unit-of-work factory over the same data."""

    loader: ReportLoader
    uow_factory: UnitOfWorkFactory


async def load(
    h: LoaderHarness, report: ReportName, source: CsvSource | bytes, *, force: bool = False
) -> ReportResult:
    """Load one report through the use-case."""
    if isinstance(source, bytes):
        source = BytesSource(source)
    return await load_report(SPECS[report], source, loader=h.loader, policy=POLICY, force=force)


async def load_all(h: LoaderHarness) -> None:
    """Every fixture report, each expected to load."""
    for report in ReportName:
        result = await load(h, report, fixture_bytes(report))
        assert result.success, result


def lines(n: int, first: int = 900000) -> bytes:
    """n valid current-activity rows."""
    rows = [f"{first + i}.0,3001.0,VIN{i:014d},Media Loan,01/0{1 + i % 9}/26,01/10/26,,," for i in range(n)]
    return ("\n".join(rows) + "\n").encode()


class ReportLoaderContract:
    """Abstract: subclasses provide the `harness` fixture."""

    async def test_real_format_reports_load_into_every_table(self, harness: LoaderHarness) -> None:
        await load_all(harness)
        async with harness.uow_factory() as uow:
            vehicle = await uow.reference.vehicle("1HGCM82633A004352")
            vehicles = await uow.reference.vehicles()
            partners = await uow.reference.partners()
            makes = await uow.reference.approved_makes(office="New York")
            current = await uow.reference.current_activities(ALL_TIME)
            history = await uow.reference.loan_history(ALL_TIME)
            offices = [o.name for o in await uow.reference.offices()]
        assert vehicle is not None
        assert (vehicle.fms_vehicle_id, vehicle.office, vehicle.year) == (89943, "Los Angeles", 2025)
        assert vehicle.in_service_date == date(2025, 3, 1)
        assert vehicle.expected_turn_in_date == date(2027, 1, 15)
        no_id = next(v for v in vehicles if v.vin == "JH4KA7561PC008269")
        assert no_id.fms_vehicle_id is None
        assert len(partners) == 4
        assert {(p.person_id, p.office) for p in partners} >= {(3001, "New York")}
        assert {(m.person_id, m.make, m.rank) for m in makes} == {(3001, "Audi", "A+"), (3001, "Toyota", "B"),
                                                                   (4001, "Hyundai", "A")}  # fmt: skip
        hold = next(a for a in current if a.activity_id == 800002)
        assert hold.person_id is None
        assert hold.start_day == date(2026, 11, 20)
        assert [a.activity_id for a in history] == [700001, 700002, 700003]
        assert history[0].partner_name == "Rivera, Alex"
        assert history[1].start_day == date(2025, 2, 3)
        assert offices == ["Los Angeles", "New York"]
        assert await harness.loader.row_count(ReportName.BUDGET_SPENDING) == 3

    async def test_a_new_report_replaces_the_old_rows(self, harness: LoaderHarness) -> None:
        await load_all(harness)
        result = await load(harness, ReportName.CURRENT_ACTIVITY, lines(3), force=True)
        assert result.success
        assert result.rows_loaded == 3
        async with harness.uow_factory() as uow:
            ids = {a.activity_id for a in await uow.reference.current_activities(ALL_TIME)}
        assert ids == {900000, 900001, 900002}

    @pytest.mark.parametrize(
        ("name", "data", "expected"),
        [
            ("html page", HTML, "HTML"),
            ("json error", b'{"error": "token expired"}', "JSON"),
            ("wrong columns", fixture_bytes(ReportName.MEDIA_PARTNERS), "wrong column count"),
            ("empty", b"", "no rows"),
            ("blank lines", b"\n\n  \n", "no rows"),
            ("truncated", lines(1), "implausible drop"),
            ("bad dates", lines(5).replace(b"01/10/26", b"13/45/26"), "too many bad rows"),
        ],
    )
    async def test_a_report_that_looks_wrong_keeps_the_old_rows(
        self, harness: LoaderHarness, name: str, data: bytes, expected: str
    ) -> None:
        await load_all(harness)
        await load(harness, ReportName.CURRENT_ACTIVITY, lines(10), force=True)
        result = await load(harness, ReportName.CURRENT_ACTIVITY, data)
        assert result.failure is FailureKind.REJECTED, name
        assert expected in result.message
        assert await harness.loader.row_count(ReportName.CURRENT_ACTIVITY) == 10

    async def test_a_connection_cut_mid_file_keeps_the_old_rows(self, harness: LoaderHarness) -> None:
        await load(harness, ReportName.CURRENT_ACTIVITY, lines(10))
        result = await load(harness, ReportName.CURRENT_ACTIVITY, BytesSource(lines(40), fail_after=500))
        assert result.failure is FailureKind.UNAVAILABLE
        assert "connection reset" in result.message
        assert await harness.loader.row_count(ReportName.CURRENT_ACTIVITY) == 10

    async def test_bad_rows_are_left_out_with_their_line_and_reason(self, harness: LoaderHarness) -> None:
        data = lines(40).replace(b"VIN00000000000003", b"   ").replace(b"900007.0,", b"x,")
        result = await load(harness, ReportName.CURRENT_ACTIVITY, data)
        assert result.success
        assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (40, 38, 2)
        reasons = [(b.line, b.reason.split(":")[0]) for b in result.bad_rows]
        assert reasons == [(4, "Vehicle_VIN"), (8, "Activity_ID 'x'")]

    async def test_duplicate_keys_keep_the_first_row(self, harness: LoaderHarness) -> None:
        data = lines(30) + lines(1, first=900005)
        result = await load(harness, ReportName.CURRENT_ACTIVITY, data)
        assert result.success
        assert result.rows_loaded == 30
        assert result.rows_rejected == 1
        assert result.bad_rows[0].line == 31
        assert "line 6 is kept" in result.bad_rows[0].reason

    async def test_force_accepts_a_big_drop_never_a_malformed_file(self, harness: LoaderHarness) -> None:
        await load(harness, ReportName.CURRENT_ACTIVITY, lines(10))
        assert (await load(harness, ReportName.CURRENT_ACTIVITY, lines(2), force=True)).rows_loaded == 2
        assert not (await load(harness, ReportName.CURRENT_ACTIVITY, HTML, force=True)).success
        assert await harness.loader.row_count(ReportName.CURRENT_ACTIVITY) == 2

    async def test_offices_follow_the_vehicles_and_partners(self, harness: LoaderHarness) -> None:
        await load_all(harness)
        vehicles = fixture_bytes(ReportName.VEHICLES).replace(b"New York", b"Chicago")
        partners = fixture_bytes(ReportName.MEDIA_PARTNERS).replace(b"New York", b"Chicago")
        assert (await load(harness, ReportName.VEHICLES, vehicles)).success
        async with harness.uow_factory() as uow:
            assert [o.name for o in await uow.reference.offices()] == ["Chicago", "Los Angeles", "New York"]
        assert (await load(harness, ReportName.MEDIA_PARTNERS, partners)).success
        async with harness.uow_factory() as uow:
            assert [o.name for o in await uow.reference.offices()] == ["Chicago", "Los Angeles"]
