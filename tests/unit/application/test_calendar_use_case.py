"""Calendar reads: the merged activity window, its counts and filters, and a vehicle's busy periods."""

from __future__ import annotations

from datetime import date

import pytest

from application.calendar import CalendarItem, CalendarWindow, activity_window, vehicle_busy_periods
from application.errors import InvalidInput
from application.records import Window
from domain.values import Status
from tests.unit.application.scheduler_world import (
    ACTIVITY_B,
    BOB,
    CARL,
    CHICAGO,
    HISTORY_A,
    VIN_A,
    VIN_B,
    VIN_CHI,
    World,
    day,
)


async def window(
    world: World, start: date, end: date, *, make: str | None = None, office: str | None = None
) -> CalendarWindow:
    """The activity window use-case on the world."""
    return await activity_window(
        Window(start=start, end=end, office=office), make=make, uow_factory=world.uow_factory
    )


def bars(items: list[CalendarItem]) -> list[tuple[str, str, int | None, int | None]]:
    """(status, vin, assignment_id, activity_id) of each item, in order."""
    return [(i.status, i.vin, i.assignment_id, i.activity_id) for i in items]


async def test_window_merges_history_activities_and_assignments_with_counts(world: World) -> None:
    planned = await world.add(VIN_A)
    manual = await world.add(VIN_CHI, status=Status.MANUAL, person_id=CARL, office=CHICAGO)
    requested = await world.add_requested(VIN_A, start=day(14))
    result = await window(world, day(-14), day(28))
    assert bars(result.items) == [
        ("completed", VIN_A, None, HISTORY_A.activity_id),
        ("manual", VIN_CHI, manual, None),
        ("planned", VIN_A, planned, None),
        ("active", VIN_B, None, ACTIVITY_B.activity_id),
        ("requested", VIN_A, requested, None),
    ]
    assert result.counts == {"past": 1, "active": 1, "planned": 3, "total": 5}
    active = result.items[3]
    assert (active.vehicle_id, active.make, active.office, active.partner_name) == (
        102,
        "Toyota",
        "Los Angeles",
        "Bob Builder",
    )
    assert (result.items[4].fms_state, result.items[4].fms_request_id) == ("open", 5000)


async def test_an_activity_held_by_an_assignment_shows_once(world: World) -> None:
    active = await world.add(VIN_B, start=day(2), status=Status.ACTIVE, person_id=BOB, activity_id=900)
    done = await world.add(
        VIN_A, start=date(2025, 5, 19), status=Status.COMPLETED, activity_id=HISTORY_A.activity_id
    )
    result = await window(world, day(-14), day(28))
    assert bars(result.items) == [
        ("completed", VIN_A, done, HISTORY_A.activity_id),
        ("active", VIN_B, active, ACTIVITY_B.activity_id),
    ]
    assert result.counts == {"past": 1, "active": 1, "planned": 0, "total": 2}


@pytest.mark.parametrize(("make", "vins"), [(" honda ", {VIN_A}), ("FORD", {VIN_CHI}), ("Tesla", set())])
async def test_make_filter_is_case_insensitive(world: World, make: str, vins: set[str]) -> None:
    await world.add(VIN_A)
    await world.add(VIN_CHI, person_id=CARL, office=CHICAGO)
    result = await window(world, day(-14), day(28), make=make)
    assert {i.vin for i in result.items} == vins
    assert result.counts["total"] == len(result.items)


async def test_history_takes_its_make_from_the_vehicle(world: World) -> None:
    result = await window(world, day(-14), day(-7), make="Honda")
    assert bars(result.items) == [("completed", VIN_A, None, HISTORY_A.activity_id)]


async def test_removed_assignments_are_not_shown(world: World) -> None:
    kept = await world.add(VIN_A)
    gone = await world.add(VIN_A, start=day(7))
    await world.delete(gone)
    result = await window(world, day(0), day(20))
    assert [i.assignment_id for i in result.items if i.assignment_id] == [kept]


async def test_window_ends_are_inclusive(world: World) -> None:
    ends_on_start = await world.add(VIN_A, start=day(0))  # ends day 7
    starts_on_end = await world.add(VIN_A, start=day(10))
    await world.add(VIN_CHI, start=day(-1), person_id=CARL, office=CHICAGO)  # ends day 6
    await world.add(VIN_CHI, start=day(11), person_id=CARL, office=CHICAGO)
    result = await window(world, day(7), day(10))
    assert bars(result.items) == [
        ("planned", VIN_A, ends_on_start, None),
        ("active", VIN_B, None, ACTIVITY_B.activity_id),
        ("planned", VIN_A, starts_on_end, None),
    ]


async def test_office_filter_resolves_activities_through_their_vehicle(world: World) -> None:
    chi = await world.add(VIN_CHI, person_id=CARL, office=CHICAGO)
    result = await window(world, day(-14), day(28), office=CHICAGO)
    assert bars(result.items) == [("planned", VIN_CHI, chi, None)]


async def test_a_window_ending_before_it_starts_is_refused(world: World) -> None:
    with pytest.raises(InvalidInput):
        await window(world, day(1), day(0))


async def test_a_window_of_one_day_is_fine(world: World) -> None:
    result = await window(world, day(4), day(4))
    assert bars(result.items) == [("active", VIN_B, None, ACTIVITY_B.activity_id)]


async def test_vehicle_busy_periods_show_everything_holding_the_vehicle(world: World) -> None:
    in_chicago = await world.add(VIN_B, start=day(9), person_id=CARL, office=CHICAGO)
    await world.add(VIN_A, start=day(9))
    later = await world.add(VIN_B, start=day(40))
    items = await vehicle_busy_periods(f" {VIN_B.lower()} ", day(0), day(30), uow_factory=world.uow_factory)
    assert bars(items) == [
        ("active", VIN_B, None, ACTIVITY_B.activity_id),
        ("planned", VIN_B, in_chicago, None),
    ]
    assert later not in {i.assignment_id for i in items}
