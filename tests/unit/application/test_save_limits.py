"""save_slots and save_week_schedule: CHAIN_MAX_SLOTS, LOAN_MAX_DAYS, the FMS date window, capped 409s."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from application.create_assignments import Slot, save_slots, save_week_schedule
from application.errors import ChainTooLarge, InvalidInput
from application.records import BookingLimits
from domain.errors import MAX_LISTED_CONFLICTS, BookingConflict
from domain.loan_dates import DateOutsideFmsWindow
from domain.values import Status
from tests.unit.application.scheduler_world import ADA, LA, MONDAY, VIN_A, VIN_B, World, day

LIMITS = BookingLimits(max_slots=5, loan_max_days=30)


def slot(start: date, end: date, vin: str = VIN_A) -> Slot:
    """A slot of ADA in LA."""
    return Slot(vin=vin, person_id=ADA, start_day=start, end_day=end, office=LA)


async def save(world: World, slots: list[Slot], limits: BookingLimits = LIMITS) -> None:
    """Save the slots as manual with the given limits."""
    await save_slots(
        slots, status=Status.MANUAL, actor=world.actor, uow_factory=world.uow_factory, limits=limits
    )


async def saved_count(world: World) -> int:
    """How many live assignments the world holds."""
    async with world.uow_factory() as uow:
        return len(
            await uow.assignments.bookings_of_vehicles([VIN_A, VIN_B], date(1969, 1, 1), date(2068, 12, 31))
        )


async def test_one_slot_over_the_limit_is_too_large_and_nothing_is_saved(world: World) -> None:
    week = [slot(day(7 * i), day(7 * i + 7)) for i in range(6)]
    with pytest.raises(ChainTooLarge, match="too many assignments in one save: 6, at most 5"):
        await save(world, week)
    assert await saved_count(world) == 0
    await save(world, week[:5])
    assert await saved_count(world) == 5


async def test_a_loan_longer_than_the_limit_is_refused_naming_its_slot(world: World) -> None:
    await save(world, [slot(MONDAY, MONDAY + timedelta(days=30))])
    with pytest.raises(InvalidInput, match=r"slot 2 \(.*\): a loan is at most 30 days long; .* is 31 days"):
        await save(world, [slot(day(40), day(47)), slot(day(50), day(81))])


@pytest.mark.parametrize("start", [date(26, 11, 29), date(2126, 11, 29), date(9999, 12, 24)])
async def test_a_slot_outside_the_fms_window_is_refused(world: World, start: date) -> None:
    with pytest.raises(InvalidInput, match=f"slot 1 .*start_day {start.isoformat()} is outside"):
        await save(world, [slot(start, start + timedelta(days=7))])
    assert await saved_count(world) == 0


async def test_a_schedule_week_outside_the_window_is_refused(world: World) -> None:
    with pytest.raises(DateOutsideFmsWindow, match="week_start 9999-12-25"):
        await save_week_schedule(LA, date(9999, 12, 25), [], actor=world.actor, uow_factory=world.uow_factory)


async def test_a_chain_clashing_everywhere_lists_50_and_counts_all(world: World) -> None:
    limits = BookingLimits(max_slots=200, loan_max_days=120)
    chain = [slot(day(0), day(7)) for _ in range(60)]
    with pytest.raises(BookingConflict) as caught:
        await save(world, chain, limits)
    assert len(caught.value.conflicts) == MAX_LISTED_CONFLICTS
    assert caught.value.total == 60 * 59 // 2
    assert str(caught.value).endswith(f"(and {60 * 59 // 2 - 1} more)")
    assert await saved_count(world) == 0
