"""save_slots: all or nothing, overlaps refused, hand-overs allowed, replace_planned_week semantics."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.fms_faults import FmsFault
from application.create_assignments import Slot, save_slots
from application.errors import FmsOutcomeUnknown, InvalidInput
from application.records import Actor
from domain.assignment import Assignment
from domain.errors import BookingConflict
from domain.values import FmsState, Status
from tests.unit.application.scheduler_world import (
    ACTIVITY_B,
    ADA,
    BOB,
    CARL,
    CHICAGO,
    LA,
    MONDAY,
    VIN_A,
    VIN_B,
    VIN_CHI,
    VIN_NO_FMS,
    World,
    day,
)


def slot(vin: str = VIN_A, start: int = 0, days: int = 7, person_id: int = ADA, office: str = LA) -> Slot:
    """A slot starting `start` days after MONDAY."""
    return Slot(vin=vin, person_id=person_id, start_day=day(start), end_day=day(start + days), office=office)


async def save(
    world: World,
    *slots: Slot,
    status: Status = Status.MANUAL,
    replace_week: tuple[str, date] | None = None,
    actor: Actor | None = None,
) -> list[Assignment]:
    """Run save_slots on the world."""
    return await save_slots(
        slots,
        status=status,
        actor=actor or world.actor,
        uow_factory=world.uow_factory,
        replace_planned_week=replace_week,
    )


def ids(assignments: list[Assignment]) -> list[int | None]:
    """Their ids, in order."""
    return [a.assignment_id for a in assignments]


async def test_saves_every_slot_with_names_from_reference_data(world: World) -> None:
    saved = await save(world, slot(" " + VIN_A.lower() + " "), slot(VIN_CHI, person_id=CARL, office=CHICAGO))
    assert ids(await world.live()) == ids(saved) == [1, 2]
    first = await world.get(1)
    assert (first.vin, first.status, first.fms_state, first.created_by) == (
        VIN_A,
        Status.MANUAL,
        FmsState.NONE,
        "alice",
    )
    assert (first.partner_name, first.make, first.model) == ("Ada Lovelace", "Honda", "Accord")
    assert (first.start_day, first.end_day) == (MONDAY, day(7))


async def test_overlap_with_an_existing_assignment_saves_nothing(world: World) -> None:
    existing = await world.add(VIN_A, start=day(3))
    with pytest.raises(BookingConflict) as excinfo:
        await save(world, slot(VIN_CHI, person_id=CARL, office=CHICAGO), slot(VIN_A))
    assert [c.assignment_id for c in excinfo.value.conflicts] == [existing]
    assert ids(await world.live()) == [existing]


async def test_overlap_with_a_current_activity_saves_nothing(world: World) -> None:
    with pytest.raises(BookingConflict) as excinfo:
        await save(world, slot(VIN_B, start=0))
    assert [c.activity_id for c in excinfo.value.conflicts] == [ACTIVITY_B.activity_id]
    assert await world.live() == []


async def test_overlap_between_slots_of_one_save_saves_nothing(world: World) -> None:
    with pytest.raises(BookingConflict) as excinfo:
        await save(world, slot(VIN_A, 0), slot(VIN_A, 6, person_id=BOB))
    [clash] = excinfo.value.conflicts
    assert "slot 1" in clash.holder
    assert await world.live() == []


async def test_touching_bookings_are_hand_overs(world: World) -> None:
    await world.add(VIN_A, start=day(-7))
    saved = await save(world, slot(VIN_A, 0), slot(VIN_A, 7, person_id=BOB), slot(VIN_B, 9, person_id=BOB))
    assert len(saved) == 3
    assert len(await world.live()) == 4


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (Slot("NOPE0000000000000", ADA, MONDAY, day(7), LA), "unknown vehicle"),
        (Slot(VIN_A, CARL, MONDAY, day(7), LA), "not a partner"),
        (Slot(VIN_A, ADA, MONDAY, MONDAY, LA), "must be before"),
        (Slot("  ", ADA, MONDAY, day(7), LA), "vin is empty"),
        # issue 25: a vehicle of another office, whoever the partner is
        (
            Slot(VIN_CHI, ADA, MONDAY, day(7), LA),
            f"slot 2: vehicle VIN {VIN_CHI} belongs to office {CHICAGO}",
        ),
        (Slot(VIN_A, CARL, MONDAY, day(7), CHICAGO), f"slot 2: vehicle VIN {VIN_A} belongs to office {LA}"),
    ],
)
async def test_invalid_slots_are_refused_and_nothing_is_saved(world: World, bad: Slot, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        await save(world, slot(VIN_CHI, person_id=CARL, office=CHICAGO), bad)
    assert await world.live() == []


@pytest.mark.parametrize("status", [Status.REQUESTED, Status.ACTIVE, Status.COMPLETED])
async def test_new_assignments_must_be_green(world: World, status: Status) -> None:
    with pytest.raises(InvalidInput):
        await save(world, slot(), status=status)
    assert await world.live() == []


async def test_an_empty_chain_is_refused(world: World) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        await save(world)


async def test_replace_planned_week_removes_only_that_offices_planned_of_that_week(world: World) -> None:
    doomed = await world.add(VIN_A, start=day(0), status=Status.PLANNED)
    last_day = await world.add(VIN_NO_FMS, start=day(6), status=Status.PLANNED)
    week_before = await world.add(VIN_NO_FMS, start=day(-3), days=3, status=Status.PLANNED)
    next_week = await world.add(VIN_A, start=day(7), status=Status.PLANNED)
    other_office = await world.add(
        VIN_CHI, start=day(0), person_id=CARL, office=CHICAGO, status=Status.PLANNED
    )
    manual = await world.add(VIN_B, start=day(-1), days=2, status=Status.MANUAL)
    requested = await world.add_requested(VIN_A, start=day(-7), days=2)
    saved = await save(world, slot(VIN_A, 0), status=Status.PLANNED, replace_week=(LA, MONDAY))
    live = ids(await world.live())
    assert doomed not in live
    assert last_day not in live
    assert (await world.get(doomed)).removed
    for kept in (next_week, week_before, other_office, manual, requested):
        assert kept in live, kept
    assert saved[0].assignment_id in live


async def test_replace_planned_week_keeps_a_planned_assignment_with_an_unsettled_request(
    world: World,
) -> None:
    unsettled = await world.add(VIN_A, status=Status.PLANNED)
    world.fms.fail_next(FmsFault.HANG)
    with pytest.raises(FmsOutcomeUnknown):
        await world.request(unsettled)
    with pytest.raises(BookingConflict):
        await save(world, slot(VIN_A, 1), status=Status.PLANNED, replace_week=(LA, MONDAY))
    assert (await world.get(unsettled)).fms_state is FmsState.UNKNOWN
    assert ids(await world.live()) == [unsettled]


async def test_replace_planned_week_is_rolled_back_on_a_conflict(world: World) -> None:
    planned = await world.add(VIN_A, status=Status.PLANNED)
    with pytest.raises(BookingConflict):
        await save(world, slot(VIN_B, 0), status=Status.PLANNED, replace_week=(LA, MONDAY))
    assert ids(await world.live()) == [planned]
    assert not (await world.get(planned)).removed


async def test_replace_planned_week_with_no_slots_clears_the_week(world: World) -> None:
    planned = await world.add(VIN_A, status=Status.PLANNED)
    assert await save(world, status=Status.PLANNED, replace_week=(LA, MONDAY)) == []
    assert await world.live(date(2025, 1, 1), date(2025, 12, 31)) == []
    assert (await world.get(planned)).removed
