"""Bulk Request, Unrequest and Delete on the memory adapters: each item's result and the end state."""

from __future__ import annotations

import pytest

from adapters.fms_faults import FmsFault
from application.bulk import BulkAction, BulkSettings
from application.errors import BatchTooLarge, FmsOutcomeUnknown, FmsRejected, InvalidInput
from application.records import OperationOutcome
from domain.errors import BookingConflict
from domain.values import FmsState, Status
from tests.unit.application.bulk_support import bulk, line, state
from tests.unit.application.scheduler_world import (
    CARL,
    CHICAGO,
    VIN_A,
    VIN_B,
    VIN_CHI,
    VIN_NO_FMS,
    World,
    day,
)

REQUEST, UNREQUEST, DELETE = BulkAction.REQUEST, BulkAction.UNREQUEST, BulkAction.DELETE


def creates(world: World) -> int:
    """FMS creates made so far."""
    return sum(1 for call, _ in world.fms.calls if call == "create")


def deletes(world: World) -> int:
    """FMS deletes made so far."""
    return sum(1 for call, _ in world.fms.calls if call == "delete")


async def test_a_mixed_request_batch_reports_each_item_in_input_order(world: World) -> None:
    planned = await world.add(VIN_A, start=day(0))
    manual = await world.add(VIN_A, start=day(7), status=Status.MANUAL)
    requested = await world.add_requested(VIN_A, start=day(14))
    active = await world.add(VIN_A, start=day(21), status=Status.ACTIVE, activity_id=555)
    no_fms = await world.add(VIN_NO_FMS, start=day(0))
    removed = await world.add(VIN_A, start=day(28), removed=True)
    held_id = (await world.get(requested)).fms_request_id

    ids = [planned, 999, manual, planned, requested, active, no_fms, removed, 999]
    report = await bulk(world, REQUEST, ids)

    assert [line(r) for r in report.results] == [
        (planned, True, None, True, False),
        (999, False, "AssignmentNotFound", False, False),
        (manual, True, None, True, False),
        (requested, True, None, False, False),  # already requested: idempotent, no second create
        (active, False, "FmsLockedStatus", False, False),
        (no_fms, False, "VehicleNotRequestable", False, False),
        (removed, False, "AssignmentNotFound", False, False),
    ]
    assert (report.total, report.succeeded, report.failed) == (7, 3, 4)
    assert await state(world, planned) == (Status.REQUESTED, FmsState.OPEN, False)
    assert await state(world, manual) == (Status.REQUESTED, FmsState.OPEN, False)
    assert (await world.get(requested)).fms_request_id == held_id
    assert await state(world, active) == (Status.ACTIVE, FmsState.NONE, False)
    assert await state(world, no_fms) == (Status.PLANNED, FmsState.NONE, False)
    assert creates(world) == 3  # one by add_requested, two by the batch
    assert [(o.call, o.outcome) for o in await world.ops(planned)] == [("create", OperationOutcome.SUCCESS)]
    assert await world.ops(no_fms) == []
    assert await world.ops(active) == []
    assert report.results[4].assignment is not None
    assert report.results[4].assignment.status is Status.ACTIVE  # failed items show their state


async def test_fms_refusing_one_vehicle_fails_only_that_item(world: World) -> None:
    ids = [await world.add(VIN_A, start=day(7 * week)) for week in range(4)]
    chicago = await world.add(VIN_CHI, start=day(0), person_id=CARL, office=CHICAGO)
    world.fms.refused_vehicle_ids = {201}

    report = await bulk(world, REQUEST, [*ids[:2], chicago, *ids[2:]])

    assert (report.total, report.succeeded, report.failed) == (5, 4, 1)
    failed = report.results[2]
    assert (failed.assignment_id, type(failed.error)) == (chicago, FmsRejected)
    assert "Vehicle 201 is not available" in str(failed.error)
    stored = await world.get(chicago)
    assert (stored.status, stored.fms_state, stored.fms_request_id) == (Status.PLANNED, FmsState.NONE, None)
    assert stored.last_error == "Vehicle 201 is not available"
    (op,) = await world.ops(chicago)
    assert (op.outcome, op.status_code) == (OperationOutcome.REFUSED, 422)
    for assignment_id in ids:
        assert await state(world, assignment_id) == (Status.REQUESTED, FmsState.OPEN, False)


async def test_bulk_delete_calls_fms_only_for_requested_assignments(world: World) -> None:
    green = [await world.add(VIN_A, start=day(0)), await world.add(VIN_A, start=day(7))]
    requested = [await world.add_requested(VIN_A, start=day(7 * week)) for week in range(2, 5)]

    report = await bulk(world, DELETE, [*green, *requested])

    assert [line(r) for r in report.results] == [
        *((i, True, None, False, False) for i in green),
        *((i, True, None, False, True) for i in requested),
    ]
    assert deletes(world) == 3
    assert world.fms.requests == {}
    for assignment_id in green + requested:
        assert (await world.get(assignment_id)).removed
    assert await world.live() == []


async def test_bulk_unrequest_returns_each_to_its_earlier_status(world: World) -> None:
    planned = await world.add_requested(VIN_A, start=day(0), status=Status.PLANNED)
    manual = await world.add_requested(VIN_A, start=day(7), status=Status.MANUAL)
    green = await world.add(VIN_A, start=day(14))

    report = await bulk(world, UNREQUEST, [planned, manual, green])

    assert [line(r) for r in report.results] == [
        (planned, True, None, False, True),
        (manual, True, None, False, True),
        (green, False, "InvalidTransition", False, False),
    ]
    assert await state(world, planned) == (Status.PLANNED, FmsState.NONE, False)
    assert await state(world, manual) == (Status.MANUAL, FmsState.NONE, False)
    assert world.fms.requests == {}
    assert [(o.purpose, o.outcome) for o in (await world.ops(manual))[1:]] == [
        ("unrequest", OperationOutcome.SUCCESS)
    ]


async def test_an_ambiguous_create_is_never_sent_twice(world: World) -> None:
    ids = [await world.add(VIN_A, start=day(7 * week)) for week in range(3)]
    world.fms.fail_next(FmsFault.HANG)

    first = await bulk(world, REQUEST, ids)

    (unknown,) = [r for r in first.results if not r.success]
    assert isinstance(unknown.error, FmsOutcomeUnknown)
    assert await state(world, unknown.assignment_id) == (Status.PLANNED, FmsState.UNKNOWN, False)
    second = await bulk(world, REQUEST, ids)
    assert [type(r.error).__name__ if r.error else None for r in second.results] == [
        "OperationInProgress" if r.assignment_id == unknown.assignment_id else None for r in second.results
    ]
    assert creates(world) == 3  # the ambiguous one was not retried blindly


async def test_an_ambiguous_unrequest_stays_requested_and_deleting(world: World) -> None:
    ids = [await world.add_requested(VIN_A, start=day(7 * week)) for week in range(3)]
    world.fms.fail_next(FmsFault.HANG)

    report = await bulk(world, UNREQUEST, ids)

    (unknown,) = [r for r in report.results if not r.success]
    assert isinstance(unknown.error, FmsOutcomeUnknown)
    assert await state(world, unknown.assignment_id) == (Status.REQUESTED, FmsState.DELETING, False)
    assert report.succeeded == 2


async def test_items_are_checked_against_bookings_as_single_requests_are(world: World) -> None:
    first = await world.add(VIN_A, start=day(0))
    overlapping = await world.add(VIN_A, start=day(3))
    busy = await world.add(VIN_B, start=day(1))  # FMS activity 900 holds VIN_B from day 2 to day 9
    touching = await world.add(VIN_A, start=day(10))  # a hand-over with `overlapping`: allowed

    report = await bulk(world, REQUEST, [first, overlapping, busy, touching])

    assert [type(r.error).__name__ if r.error else None for r in report.results] == [
        "BookingConflict",
        "BookingConflict",
        "BookingConflict",
        None,
    ]
    conflict = report.results[2].error
    assert isinstance(conflict, BookingConflict)
    assert [c.holder for c in conflict.conflicts] == ["FMS activity 900 (Bob Builder)"]
    assert creates(world) == 1


async def test_too_many_ids_or_none_are_refused_before_anything_happens(world: World) -> None:
    aid = await world.add(VIN_A)
    with pytest.raises(BatchTooLarge) as too_many:
        await bulk(world, REQUEST, [aid, aid, aid, aid], settings=BulkSettings(max_items=3))
    assert (too_many.value.count, too_many.value.limit) == (4, 3)
    with pytest.raises(InvalidInput):
        await bulk(world, REQUEST, [])
    assert await state(world, aid) == (Status.PLANNED, FmsState.NONE, False)
    assert world.fms.calls == []


async def test_ids_that_cannot_exist_are_unknown(world: World) -> None:
    report = await bulk(world, DELETE, [0, -3, 2**70])
    assert [line(r)[:3] for r in report.results] == [
        (0, False, "AssignmentNotFound"),
        (-3, False, "AssignmentNotFound"),
        (2**70, False, "AssignmentNotFound"),
    ]
