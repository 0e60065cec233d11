"""Bookings follow FMS: an activity held by an assignment books the union of both spans of days.

The issue's case: an active assignment keeps its own days, FMS extends the loan in the current-activity
report, and a new booking in the extension must be refused everywhere a booking is checked.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from application.bookings import vehicle_bookings
from application.bulk import BulkAction
from application.create_assignments import Slot, save_slots
from domain.errors import Booking, BookingConflict
from domain.values import FmsState, Status
from tests.unit.application.bulk_support import bulk
from tests.unit.application.scheduler_world import ACTIVITY_B, BOB, LA, VIN_B, World, day

EXTENDED = replace(ACTIVITY_B, end_day=day(20))  # FMS extended the loan (own days: day 2..day 9)


async def held_and_extended(world: World) -> int:
    """The active assignment holding activity 900 on its own days; FMS then extends the activity."""
    held = await world.add(
        VIN_B, start=ACTIVITY_B.start_day, status=Status.ACTIVE, activity_id=900, person_id=BOB
    )
    await world.set_activities(EXTENDED)
    return held


def names_the_activity_with_its_fms_dates(conflicts: list[Booking], held: int) -> None:
    """The single clash is the held pair, dated as FMS holds it, naming both."""
    (clash,) = conflicts
    assert (clash.assignment_id, clash.activity_id) == (held, 900)
    assert (clash.start_day, clash.end_day) == (day(2), day(20))
    assert (clash.fms_start_day, clash.fms_end_day) == (day(2), day(20))
    assert "FMS activity 900" in clash.holder
    assert f"{day(2).isoformat()}..{day(20).isoformat()}" in clash.holder


async def test_a_request_inside_the_fms_extension_is_refused(world: World) -> None:
    held = await held_and_extended(world)
    candidate = await world.add(VIN_B, start=day(9), status=Status.MANUAL)
    with pytest.raises(BookingConflict) as caught:
        await world.request(candidate)
    names_the_activity_with_its_fms_dates(caught.value.conflicts, held)
    assert (await world.get(candidate)).fms_state is FmsState.NONE
    assert world.fms.calls == []


async def test_a_bulk_request_inside_the_fms_extension_is_refused(world: World) -> None:
    held = await held_and_extended(world)
    candidate = await world.add(VIN_B, start=day(9), status=Status.MANUAL)
    report = await bulk(world, BulkAction.REQUEST, [candidate])
    (item,) = report.results
    assert not item.success
    assert isinstance(item.error, BookingConflict)
    names_the_activity_with_its_fms_dates(item.error.conflicts, held)
    assert world.fms.calls == []


async def test_a_saved_slot_inside_the_fms_extension_is_refused(world: World) -> None:
    held = await held_and_extended(world)
    slot = Slot(vin=VIN_B, person_id=BOB, start_day=day(9), end_day=day(16), office=LA)
    with pytest.raises(BookingConflict) as caught:
        await save_slots([slot], status=Status.MANUAL, actor=world.actor, uow_factory=world.uow_factory)
    names_the_activity_with_its_fms_dates(caught.value.conflicts, held)
    assert [a.assignment_id for a in await world.live()] == [held]


async def test_the_own_days_still_book_when_fms_shortens_the_loan(world: World) -> None:
    held = await world.add(
        VIN_B, start=ACTIVITY_B.start_day, days=14, status=Status.ACTIVE, activity_id=900, person_id=BOB
    )
    async with world.uow_factory() as uow:
        bookings = await vehicle_bookings(uow, VIN_B, day(12), day(14))
    (booking,) = bookings
    assert (booking.assignment_id, booking.start_day, booking.end_day) == (held, day(2), day(16))
    assert (booking.fms_start_day, booking.fms_end_day) == (ACTIVITY_B.start_day, ACTIVITY_B.end_day)


async def test_a_loan_fms_moved_away_books_the_days_between(world: World) -> None:
    held = await world.add(VIN_B, start=day(2), status=Status.ACTIVE, activity_id=900, person_id=BOB)
    await world.set_activities(replace(ACTIVITY_B, start_day=day(20), end_day=day(27)))
    async with world.uow_factory() as uow:
        bookings = await vehicle_bookings(uow, VIN_B, day(12), day(15))
    assert [(b.assignment_id, b.start_day, b.end_day) for b in bookings] == [(held, day(2), day(27))]


async def test_the_extended_activity_never_conflicts_with_its_own_assignment(world: World) -> None:
    held = await held_and_extended(world)
    async with world.uow_factory() as uow:
        bookings = await vehicle_bookings(
            uow, VIN_B, day(0), day(30), exclude_assignment_id=held, own_activity_id=900
        )
    assert bookings == []
