"""The calendar shows a held loan with the dates FMS holds, and the assignment's own dates beside them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from application.calendar import CalendarItem, activity_window, vehicle_busy_periods
from application.records import Window
from domain.values import Status
from tests.unit.application.scheduler_world import ACTIVITY_B, BOB, VIN_B, World, day

EXTENDED = replace(ACTIVITY_B, end_day=day(20))  # own days day 2..day 9


async def items(world: World, start: date, end: date) -> list[CalendarItem]:
    """The calendar items of VIN_B in the window."""
    result = await activity_window(Window(start=start, end=end), make=None, uow_factory=world.uow_factory)
    return [i for i in result.items if i.vin == VIN_B]


async def hold(world: World, *, days: int = 7, status: Status = Status.ACTIVE) -> int:
    """An assignment holding activity 900 on its own days from the activity's start."""
    return await world.add(
        VIN_B, start=ACTIVITY_B.start_day, days=days, status=status, activity_id=900, person_id=BOB
    )


async def test_an_extended_loan_shows_the_fms_dates_and_the_difference(world: World) -> None:
    held = await hold(world)
    await world.set_activities(EXTENDED)
    (item,) = await items(world, day(0), day(30))
    assert (item.status, item.assignment_id, item.activity_id) == ("active", held, 900)
    assert (item.start_date, item.end_date) == (day(2), day(20))
    assert (item.assignment_start_date, item.assignment_end_date) == (day(2), day(9))
    assert item.dates_differ


async def test_a_window_over_the_extension_only_still_shows_the_assignment(world: World) -> None:
    held = await hold(world)
    await world.set_activities(EXTENDED)
    (item,) = await items(world, day(12), day(18))
    assert (item.assignment_id, item.activity_id, item.start_date, item.end_date) == (
        held,
        900,
        day(2),
        day(20),
    )


async def test_a_loan_fms_moved_out_of_the_window_shows_where_fms_holds_it(world: World) -> None:
    held = await hold(world)
    await world.set_activities(replace(ACTIVITY_B, start_day=day(40), end_day=day(47)))
    (item,) = await items(world, day(0), day(10))
    assert (item.assignment_id, item.start_date, item.end_date) == (held, day(40), day(47))
    assert (item.assignment_start_date, item.assignment_end_date, item.dates_differ) == (day(2), day(9), True)


async def test_matching_dates_do_not_differ(world: World) -> None:
    held = await hold(world)
    (item,) = await items(world, day(0), day(30))
    assert (item.assignment_id, item.start_date, item.end_date, item.dates_differ) == (
        held,
        day(2),
        day(9),
        False,
    )
    assert (item.assignment_start_date, item.assignment_end_date) == (day(2), day(9))


async def test_a_green_assignment_has_its_own_dates_and_no_difference(world: World) -> None:
    planned = await world.add(VIN_B, start=day(20))
    (item,) = [i for i in await items(world, day(18), day(30)) if i.assignment_id == planned]
    assert (item.start_date, item.assignment_start_date, item.dates_differ) == (day(20), day(20), False)


async def test_busy_periods_cover_the_union_of_both_spans(world: World) -> None:
    held = await hold(world, days=14)  # own days run past what FMS now holds (day 9)
    await world.set_activities(replace(ACTIVITY_B, start_day=day(0)))
    (period,) = await vehicle_busy_periods(VIN_B, day(0), day(30), uow_factory=world.uow_factory)
    assert (period.assignment_id, period.booked_start_date, period.booked_end_date) == (held, day(0), day(16))
