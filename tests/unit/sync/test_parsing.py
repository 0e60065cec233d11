"""Parsing facts of the FMS reports (reports.md) and the parser's handling of real-world files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from application.sync import fields
from application.sync.parser import ReportRejected
from application.sync.records import ReportName
from application.sync.rows import BudgetRow, VehicleRow
from tests.sync_support import fixture_bytes, parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/15/25", date(2025, 3, 15)),
        ("03-15-25", date(2025, 3, 15)),
        ("03/15/2025", date(2025, 3, 15)),
        ("3/5/25", date(2025, 3, 5)),
        ("2025-03-15", date(2025, 3, 15)),
        ("03/15/2025 0:00", date(2025, 3, 15)),
        ("", None),
    ],
)
def test_dates(text: str, expected: date | None) -> None:
    assert fields.parse_date(text) == expected


@pytest.mark.parametrize("text", ["13/01/25", "02/30/25", "March 3", "25/03"])
def test_bad_dates_say_why(text: str) -> None:
    with pytest.raises(fields.BadValue, match=repr(text)):
        fields.parse_date(text)


def test_cells() -> None:
    assert fields.parse_month("3/2025") == date(2025, 3, 1)
    assert fields.vin(" 1hgcm82633a004352 ") == "1HGCM82633A004352"
    assert fields.number("12,345") == "12345"
    assert fields.number("") is None
    assert [fields.boolean(t) for t in ("1.0", "0.0", "")] == [True, False, None]
    assert [fields.rank(t) for t in ("a+", "B", "pending")] == ["A+", "B", "Pending"]
    assert [fields.fleet(t) for t in ("VW", "chevy", "Chev", "Audi")] == [
        "VOLKSWAGEN",
        "CHEVROLET",
        "CHEVROLET",
        "AUDI",
    ]
    assert fields.money("$12,500.00") == Decimal("12500.00")
    assert fields.money("(1,234.50)") == Decimal("-1234.50")
    assert [fields.quarter(t) for t in ("Q1", "2", "3.0")] == ["1", "2", "3"]
    for bad, cell in (("", fields.vin), ("x", fields.boolean), ("AA", fields.rank), ("Q5", fields.quarter)):
        with pytest.raises(fields.BadValue):
            cell(bad)


@pytest.mark.parametrize("size", [1, 7, 4096])
async def test_real_format_vehicles_whatever_the_chunking(size: int) -> None:
    rows, parser = await parse(ReportName.VEHICLES, fixture_bytes(ReportName.VEHICLES), size)
    assert parser.stats.rows_read == 4
    first = rows[0]
    assert isinstance(first, VehicleRow)
    assert (first.fms_vehicle_id, first.vin, first.current_mileage, first.in_service_date) == (
        89943, "1HGCM82633A004352", 12345, date(2025, 3, 1),
    )  # fmt: skip
    assert first.notes == "Loaner, keep clean"
    assert rows[2].fms_vehicle_id is None
    assert rows[3].year == 2025


async def test_budget_amounts_years_and_fleets() -> None:
    rows, _ = await parse(ReportName.BUDGET_SPENDING, fixture_bytes(ReportName.BUDGET_SPENDING))
    assert rows[0] == BudgetRow("VOLKSWAGEN", "Los Angeles", 2025, 1, Decimal("12500.00"))
    assert rows[1].fleet == "CHEVROLET"


async def test_quoted_newlines_crlf_bom_header_and_blank_lines_keep_line_numbers() -> None:
    data = (
        b"\xef\xbb\xbfActivity_ID,Person_ID,Vehicle_VIN,Activity_Type,Start_Date,End_Date,To,Partner_Address,Region\r\n"
        b'1.0,7.0,vin1,Loan,01/02/26,01/09/26,"Doe, J","1 Main St\r\nSuite 2",West\r\n'
        b"\r\n"
        b"2,,VIN2,Hold,01-02-26,01-05-26,,,\r\n"
        b"3,8,VIN3,Loan,01/09/26,01/02/26,,,\r\n"
    )
    rows, parser = await parse(ReportName.CURRENT_ACTIVITY, data, size=5, max_bad_row_ratio=1)
    assert parser.stats.header_skipped
    assert [r.activity_id for r in rows] == [1, 2]
    assert rows[0].partner_address == "1 Main St\r\nSuite 2"
    assert rows[1].person_id is None
    assert [(b.line, b.reason) for b in parser.stats.bad_rows] == [
        (6, "End_Date 2026-01-02 is before 2026-01-09")
    ]


async def test_windows_1252_files_are_read() -> None:
    rows, _ = await parse(ReportName.APPROVED_MAKES, "5,José Núñez,Audi,A\n".encode("cp1252"))
    assert rows[0].name == "José Núñez"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"   \n<html><head><title>Login</title>", "HTML"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (b"1,2,3\n4,5,6\n", "wrong column count: most rows have 3 columns"),
    ],
)
async def test_files_that_are_not_the_report_are_rejected(data: bytes, message: str) -> None:
    with pytest.raises(ReportRejected, match=message):
        await parse(ReportName.APPROVED_MAKES, data)


async def test_too_many_bad_rows_stop_early() -> None:
    bad = b"".join(f"{i},Name,Audi,Z\n".encode() for i in range(5000))
    with pytest.raises(ReportRejected, match="too many bad rows in the first"):
        await parse(ReportName.APPROVED_MAKES, bad, size=65536)


@pytest.mark.parametrize("size", [1, 7, 4096])
async def test_a_nul_in_a_cell_makes_that_row_bad_and_the_rest_loads(size: int) -> None:
    good = fixture_bytes(ReportName.VEHICLES).splitlines(keepends=True)
    nul_row = b"90002,2025,Kia,EV9,EV9 GT,New York,KNDAB1234PU000002,PRESS,,,0,1/2025,,bad\x00note,Red\n"
    data = b"".join([*good[:2], nul_row, *good[2:]])
    rows, parser = await parse(ReportName.VEHICLES, data, size, max_bad_row_ratio=0.5)
    assert [r.vin for r in rows] == [
        "1HGCM82633A004352", "WAUZZZ8K9DA123456", "JH4KA7561PC008269", "KM8KRDAF1PU000001",
    ]  # fmt: skip
    assert [(b.line, b.reason) for b in parser.stats.bad_rows] == [
        (3, "Notes: a NUL character at position 3, which cannot be stored")
    ]


async def test_a_file_full_of_nul_bytes_is_still_binary() -> None:
    with pytest.raises(ReportRejected, match="binary"):
        await parse(ReportName.APPROVED_MAKES, "1,Name,Audi,A\n".encode("utf-16-le") * 5)
