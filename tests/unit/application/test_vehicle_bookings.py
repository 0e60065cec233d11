"""Bookings of a vehicle: an FMS activity held by an assignment is one booking, not two."""

from __future__ import annotations

import pytest

from application.bookings import vehicle_bookings
from domain.errors import BookingConflict
from domain.values import Status
from tests.unit.application.scheduler_world import ACTIVITY_B, VIN_B, World, day


async def test_activity_held_by_an_active_assignment_is_listed_once(world: World) -> None:
    active = await world.add(
        VIN_B,
        start=ACTIVITY_B.start_day,
        status=Status.ACTIVE,
        activity_id=900,
        person_id=ACTIVITY_B.person_id or 0,
    )
    async with world.uow_factory() as uow:
        bookings = await vehicle_bookings(uow, VIN_B, day(0), day(14))
    assert [(b.assignment_id, b.activity_id) for b in bookings] == [(active, 900)]


async def test_a_conflict_names_the_holding_assignment_once(world: World) -> None:
    await world.add(VIN_B, start=ACTIVITY_B.start_day, status=Status.ACTIVE, activity_id=900)
    candidate = await world.add(VIN_B, start=day(3), status=Status.MANUAL)
    with pytest.raises(BookingConflict) as caught:
        await world.request(candidate)
    assert len(caught.value.conflicts) == 1


async def test_an_assignment_never_conflicts_with_its_own_activity(world: World) -> None:
    own = await world.add(VIN_B, start=ACTIVITY_B.start_day, status=Status.ACTIVE, activity_id=900)
    async with world.uow_factory() as uow:
        bookings = await vehicle_bookings(
            uow, VIN_B, day(0), day(14), exclude_assignment_id=own, own_activity_id=900
        )
    assert bookings == []


async def test_deleted_requested_assignment_leaves_a_green_tombstone(world: World) -> None:
    aid = await world.add_requested(status=Status.MANUAL)
    await world.delete(aid)
    tombstone = await world.get(aid)
    assert tombstone.removed
    assert (tombstone.status, tombstone.fms_state.value, tombstone.fms_request_id) == (
        Status.MANUAL,
        "none",
        None,
    )
