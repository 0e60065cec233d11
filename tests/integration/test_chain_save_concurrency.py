"""Chain saves racing on the real database: one winner, and the losers are told every clash."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from adapters.postgres.db import PgPool
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.create_assignments import Slot, save_slots
from application.records import Actor
from domain.assignment import Assignment
from domain.errors import BookingConflict
from domain.reference import Partner, Vehicle
from domain.values import Status

pytestmark = pytest.mark.postgres

LA = "Los Angeles"
V1, V2 = "1HGCM82633A000001", "4T1BF1FK5CU000002"
PEOPLE = list(range(201, 207))
MONDAY = date(2025, 3, 3)


async def seed(factory: PostgresUnitOfWorkFactory) -> None:
    """Two vehicles and six partners in one office."""
    async with factory() as uow:
        await uow.reference.replace_vehicles(
            [Vehicle(V1, LA, fms_vehicle_id=1), Vehicle(V2, LA, fms_vehicle_id=2)]
        )
        await uow.reference.replace_partners([Partner(p, LA, f"Partner {p}") for p in PEOPLE])


def chain(person_id: int, first: date, *, reverse: bool) -> list[Slot]:
    """A partner's chain: a week of V1, then a week of V2 (listed in either order)."""
    slots = [
        Slot(V1, person_id, first, first + timedelta(days=7), LA),
        Slot(V2, person_id, first + timedelta(days=7), first + timedelta(days=14), LA),
    ]
    return slots[::-1] if reverse else slots


@pytest.mark.parametrize("round_", range(3))
async def test_overlapping_chains_saved_at_once_have_one_winner(pg_pool: PgPool, round_: int) -> None:
    factory = PostgresUnitOfWorkFactory(pg_pool)
    await seed(factory)
    # Six chains over the same two vehicles, each starting a day after the previous: all overlap.
    chains = [chain(p, MONDAY + timedelta(days=i), reverse=i % 2 == 1) for i, p in enumerate(PEOPLE)]

    results = await asyncio.gather(
        *(
            save_slots(c, status=Status.MANUAL, actor=Actor(f"user{i}"), uow_factory=factory)
            for i, c in enumerate(chains)
        ),
        return_exceptions=True,
    )

    winners = [r for r in results if isinstance(r, list)]
    losers = [r for r in results if isinstance(r, BookingConflict)]
    assert (len(winners), len(losers)) == (1, 5), results
    won: list[Assignment] = winners[0]
    held = {(a.vin, a.start_day, a.end_day, a.assignment_id, a.person_id) for a in won}
    for loser in losers:
        # Each clash names the vehicle, the dates it is held and by whom (the winner's assignment).
        clashes = {(c.vin, c.start_day, c.end_day, c.assignment_id, c.person_id) for c in loser.conflicts}
        assert clashes <= held
        assert {c.vin for c in loser.conflicts} == {V1, V2}
        for c in loser.conflicts:
            assert c.holder == f"assignment {c.assignment_id} (Partner {c.person_id}, manual)"
            assert c.status == "manual"
        assert "is already booked" in str(loser)
    async with pg_pool.acquire() as conn:
        rows = await conn.fetch("SELECT vin, person_id FROM assignments WHERE NOT removed ORDER BY vin")
    assert [(r["vin"], r["person_id"]) for r in rows] == [(V1, won[0].person_id), (V2, won[0].person_id)]


async def test_a_chain_overlapping_only_itself_is_refused_whole(pg_pool: PgPool) -> None:
    factory = PostgresUnitOfWorkFactory(pg_pool)
    await seed(factory)
    slots = [
        *chain(201, MONDAY, reverse=False),
        Slot(V1, 202, MONDAY + timedelta(days=3), MONDAY + timedelta(days=5), LA),
    ]

    with pytest.raises(BookingConflict) as refused:
        await save_slots(slots, status=Status.MANUAL, actor=Actor("alice"), uow_factory=factory)

    (clash,) = refused.value.conflicts
    assert (clash.vin, clash.start_day, clash.end_day) == (V1, MONDAY, MONDAY + timedelta(days=7))
    assert clash.holder == "slot 1 of this save (Partner 201)"
    async with pg_pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM assignments") == 0
