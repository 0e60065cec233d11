"""The calendar's one-statement read model answers exactly as the merge of the repositories does."""

from __future__ import annotations

import random
from datetime import date, timedelta

import msgspec
import pytest

from adapters.postgres.calendar_view import PostgresCalendarView
from adapters.postgres.db import PgPool
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.calendar_view import UowCalendarView
from application.records import Window
from domain.assignment import Assignment
from domain.reference import Activity, Vehicle
from domain.values import Status

pytestmark = pytest.mark.postgres

DAY0 = date(2025, 3, 3)
OFFICES = ("Los Angeles", "New York")
VINS = [f"1HGCM82633A{n:06d}" for n in range(12)]


def _activity(rng: random.Random, activity_id: int, vin: str, *, history: bool) -> Activity:
    start = DAY0 + timedelta(rng.randint(-80, 80))
    return Activity(
        activity_id=activity_id,
        vin=vin,
        start_day=start,
        end_day=start + timedelta(rng.randint(1, 12)),
        person_id=rng.choice([None, 101, 102]),
        activity_type=None if history else rng.choice([None, "Media Loan", "Service"]),
        partner_name=rng.choice([None, "Ada", "Bob"]),
        office=rng.choice([*OFFICES, ""]) if history else None,
        make=rng.choice([None, "", "Audi"]) if history else None,
        model=rng.choice([None, "", "A4"]) if history else None,
    )


async def _seed(factory: PostgresUnitOfWorkFactory, seed: int) -> None:
    """Vehicles (some VINs without one), loans, current activities (some FMS moved away from their
    assignments' days) and assignments of every status, some holding those activities."""
    rng = random.Random(seed)
    vehicles = [
        Vehicle(
            vin,
            rng.choice(OFFICES),
            fms_vehicle_id=rng.choice([None, 100 + n]),
            make=rng.choice(["Audi", "VW"]),
        )
        for n, vin in enumerate(VINS[:10])
    ]
    history = [_activity(rng, 1000 + n, rng.choice(VINS), history=True) for n in range(25)]
    # Some ids in both: a completed loan FMS still lists as current (which one an assignment shows).
    current = [_activity(rng, 1018 + n, rng.choice(VINS), history=False) for n in range(15)]
    async with factory() as uow:
        await uow.reference.replace_vehicles(vehicles)
        await uow.reference.replace_loan_history(history)
        await uow.reference.replace_current_activities(current)
        for _ in range(40):
            held = rng.choice([None, None, *history, *current])
            start = DAY0 + timedelta(rng.randint(-80, 80))
            status = rng.choice([Status.PLANNED, Status.MANUAL, Status.ACTIVE, Status.COMPLETED])
            await uow.assignments.add(
                Assignment(
                    vin=held.vin if held and rng.random() < 0.8 else rng.choice(VINS),
                    person_id=rng.choice([101, 102]),
                    office=rng.choice(OFFICES),
                    start_day=start,
                    end_day=start + timedelta(rng.randint(1, 10)),
                    status=status if held else rng.choice([Status.PLANNED, Status.MANUAL]),
                    partner_name=rng.choice([None, "Ada"]),
                    make=rng.choice([None, "", "Audi", "VW"]),
                    model=rng.choice([None, "", "Golf"]),
                    activity_id=held.activity_id if held else None,
                )
            )


def _windows() -> list[Window]:
    out = []
    for start, days in ((DAY0 - timedelta(20), 30), (DAY0, 7), (DAY0 - timedelta(100), 200)):
        end = start + timedelta(days)
        out += [Window(start=start, end=end)]
        out += [Window(start=start, end=end, office=office) for office in OFFICES]
        out += [Window(start=start, end=end, vin=VINS[3]), Window(start=start, end=end, vin=VINS[11])]
        out += [Window(start=start, end=end, office=OFFICES[0], person_id=101)]
        out += [
            Window(start=start, end=end, person_id=102),
            Window(start=start, end=end, vin=VINS[3], person_id=101),
        ]
        out += [Window(start=start, end=end, office=OFFICES[1], vin=VINS[5], person_id=102)]
        out += [Window(start=start, end=end, office=OFFICES[0], vin=VINS[3])]
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_the_read_model_answers_as_the_merge_does(pg_pool: PgPool, seed: int) -> None:
    factory = PostgresUnitOfWorkFactory(pg_pool)
    await _seed(factory, seed)
    merged, one_statement = UowCalendarView(factory), PostgresCalendarView(pg_pool)
    shown = 0
    for window in _windows():
        expected = msgspec.json.encode(await merged.bars(window))
        assert msgspec.json.encode(await one_statement.bars(window)) == expected, window
        shown += len(msgspec.json.decode(expected))
    assert shown > 100  # the windows are not empty
