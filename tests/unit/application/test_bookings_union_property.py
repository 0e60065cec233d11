"""Property: whatever FMS does to a held loan's dates, a new booking overlapping the union is refused.

Each example builds a fresh memory world: an active assignment on its own days holding an activity on
any days (extended, shortened, moved away), then asks for the vehicle's bookings around a new span.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from application.bookings import vehicle_bookings
from domain.errors import Booking
from domain.request_rules import conflicting_bookings
from domain.values import DayRange, Status
from tests.unit.application.scheduler_world import ACTIVITY_B, BOB, VIN_B, World, day

spans = st.tuples(st.integers(0, 40), st.integers(1, 15)).map(lambda s: DayRange(day(s[0]), day(s[0] + s[1])))


async def _bookings(
    own: DayRange, fms: DayRange, new: DayRange, *, exclude_own: bool
) -> tuple[int, list[Booking]]:
    world = await World().seed()
    held = await world.add(
        VIN_B,
        start=own.start,
        days=(own.end - own.start).days,
        status=Status.ACTIVE,
        activity_id=900,
        person_id=BOB,
    )
    await world.set_activities(replace(ACTIVITY_B, start_day=fms.start, end_day=fms.end))
    async with world.uow_factory() as uow:
        found = await vehicle_bookings(
            uow,
            VIN_B,
            new.start,
            new.end,
            exclude_assignment_id=held if exclude_own else None,
            own_activity_id=900 if exclude_own else None,
        )
    return held, found


@settings(max_examples=150, deadline=None)
@given(own=spans, fms=spans, new=spans)
def test_a_new_booking_overlapping_the_union_is_refused_and_only_then(
    own: DayRange, fms: DayRange, new: DayRange
) -> None:
    held, found = asyncio.run(_bookings(own, fms, new, exclude_own=False))
    union = DayRange(min(own.start, fms.start), max(own.end, fms.end))
    clashes = conflicting_bookings(new, found)
    assert [c.assignment_id for c in clashes] == ([held] if new.overlaps(union) else [])
    assert all((c.fms_start_day, c.fms_end_day) == (fms.start, fms.end) for c in clashes)
    assert len(found) <= 1  # the pair counts once, never as an assignment and an activity


@settings(max_examples=50, deadline=None)
@given(own=spans, fms=spans, new=spans)
def test_a_held_activity_never_conflicts_with_its_own_assignment(
    own: DayRange, fms: DayRange, new: DayRange
) -> None:
    _, found = asyncio.run(_bookings(own, fms, new, exclude_own=True))
    assert found == []
