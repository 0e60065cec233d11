"""The FMS report CSVs (spec: reports.md): no header row, columns in the documented order.

The rows carry the quirks FMS really produces (ids as `1234.0`, mixed date formats, thousands
separators, rows without Person_ID), so the importers are exercised on realistic files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta

from fms_simulator.world import MAKES, OFFICES, World

Row = list[str]
CHUNK_ROWS = 2000
ACTIVITY_TYPES_WITHOUT_PERSON = ("Hold", "Event", "Turn-in")


def _d(day: date, style: int = 0) -> str:
    return (day.strftime("%m/%d/%y"), day.strftime("%m-%d-%y"), day.strftime("%m/%d/%Y"))[style % 3]


def _id(value: int | None, quirk: bool) -> str:
    if value is None:
        return ""
    return f"{value}.0" if quirk else str(value)


def vehicles(world: World) -> Iterator[Row]:
    """vehicle_id, Year, Make, Model, Model Short Name, Office, VIN, Fleet, Registration Exp, ..."""
    for i in range(world.vehicle_count):
        v = world.vehicle(i)
        rng = world.rng("vehicle-report", i)
        in_service = date(v.year - 1, rng.randint(1, 12), 1)
        yield [
            _id(v.vehicle_id, i % 10 == 3),
            str(v.year),
            v.make,
            v.model,
            v.model.split()[0],
            v.office,
            v.vin,
            f"{v.make} PR - Press",
            _d(world.today + timedelta(days=rng.randint(30, 700)), 2),
            _d(world.today + timedelta(days=rng.randint(30, 700)), 1),
            f"{rng.randint(50, 40000):,}",
            f"{in_service.month}/{in_service.year}",
            _d(in_service + timedelta(days=rng.randint(300, 900))),
            'Keys at front desk, "spare" in safe' if i % 17 == 0 else "",
            v.color,
        ]


def media_partners(world: World) -> Iterator[Row]:
    """Person_ID, Name, Address, Office, Default loan region, Notes / Instructions, Affiliation, ..."""
    for row in range(world.partner_count):
        p = world.partner(row)
        yield [
            _id(p.person_id, row % 9 == 4),
            p.name,
            p.address,
            p.office,
            p.office,
            "Call before delivery" if row % 7 == 0 else "",
            p.affiliation,
            _id(p.subcategory_id, True),
        ]


def approved_makes(world: World) -> Iterator[Row]:
    """Person_ID, Name, Make, Rank: about 6.4 makes per partner row."""
    makes = sorted(MAKES)
    for row in range(world.partner_count):
        p = world.partner(row)
        rng = world.rng("makes", row)
        for make in rng.sample(makes, 6 + (row % 5 < 2)):
            yield [str(p.person_id), p.name, make, rng.choice(("A+", "A", "B", "C", "Pending"))]


def loan_history(world: World) -> Iterator[Row]:
    """Activity_ID, VIN, Person_ID, Make, Model, Year, Model_Short_Name, Start_Date, End_Date, ..."""
    rng = world.rng("history", 0)
    for n in range(world.history_count):
        if n % 1000 == 0:  # one generator per block: cheap, and any block can be rebuilt alone
            rng = world.rng("history", n // 1000)
        v = world.vehicle(rng.randrange(world.vehicle_count))
        p = world.partner_in(v.office, rng)
        start = world.today - timedelta(days=rng.randint(14, 730))
        yield [
            _id(500000 + n, n % 13 == 0),
            v.vin,
            str(p.person_id),
            v.make,
            v.model,
            str(v.year),
            v.model.split()[0],
            _d(start, n),
            _d(start + timedelta(days=7), n),
            rng.choice(("1.0", "0.0", "")),
            v.office,
            p.name,
            p.address,
            v.office,
        ]


def current_activity(world: World, approved: Iterable[Row] = ()) -> Iterator[Row]:
    """Activity_ID, Person_ID, Vehicle_VIN, Activity_Type, Start_Date, End_Date, To, ..., then approvals."""
    activity_id = 800000
    for i in range(world.vehicle_count):
        rng = world.rng("current", i)
        v = world.vehicle(i)
        day = world.today - timedelta(days=rng.randint(0, 5))
        for _ in range(rng.choice((0, 1, 1, 2, 2, 2))):
            activity_id += 1
            end = day + timedelta(days=rng.choice((3, 7, 7, 14)))
            if rng.random() < 0.1:
                kind = rng.choice(ACTIVITY_TYPES_WITHOUT_PERSON)
                yield [str(activity_id), "", v.vin, kind, _d(day), _d(end), kind, "", v.office]
            else:
                p = world.partner_in(v.office, rng)
                yield [
                    str(activity_id),
                    str(p.person_id),
                    v.vin,
                    "Media Loan",
                    _d(day),
                    _d(end),
                    p.name,
                    p.address,
                    v.office,
                ]
            day = end + timedelta(days=rng.randint(1, 10))
    yield from approved


def budget_spending(world: World) -> Iterator[Row]:
    """fleet, office, year, quarter, amount_used, with FMS's fleet aliases and `$`/`,` amounts."""
    fleets = ("Audi", "VW", "Toyota", "Hyundai", "CHEVY", "Ford")
    rng = world.rng("budget")
    year = world.today.year
    for office in OFFICES:
        for fleet in fleets:
            for quarter in range(1, 5):
                amount = rng.uniform(0, 50000)
                yield [
                    fleet,
                    office,
                    f"{year:,}" if quarter == 4 else str(year),
                    str(quarter),
                    f"${amount:,.2f}",
                ]


REPORTS: dict[str, Callable[[World], Iterator[Row]]] = {
    "vehicles": vehicles,
    "media_partners": media_partners,
    "approved_makes": approved_makes,
    "loan_history": loan_history,
    "budget_spending": budget_spending,
}


def csv_chunks(rows: Iterable[Row]) -> Iterator[bytes]:
    """The rows as CSV (no header), in chunks small enough to stream."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for n, row in enumerate(rows, start=1):
        writer.writerow(row)
        if n % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()
