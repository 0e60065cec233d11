"""Request use-case on the memory adapters: end state of the assignment, the audit log and FMS."""

from __future__ import annotations

import asyncio

import pytest

from adapters.fms_faults import FmsFault
from application.bookings import vehicle_bookings
from application.errors import (
    AssignmentNotFound,
    FmsCredentialsRejected,
    FmsOutcomeUnknown,
    FmsRejected,
    FmsUnavailable,
)
from application.records import Actor, OperationOutcome
from domain.errors import (
    BookingConflict,
    OperationInProgress,
    PartnerNotInOffice,
    VehicleNotInOffice,
    VehicleNotRequestable,
)
from domain.values import FmsState, Status
from tests.unit.application.scheduler_world import (
    ACTIVITY_B,
    ADA,
    CARL,
    DEFAULT_REQUESTOR,
    NOW,
    REQUESTOR,
    VIN_A,
    VIN_B,
    VIN_CHI,
    VIN_NO_FMS,
    World,
    day,
)


async def test_request_turns_the_assignment_requested_and_audits_the_create(world: World) -> None:
    aid = await world.add(VIN_A, status=Status.MANUAL)
    result = await world.request(aid)
    assert (result.created_in_fms, result.old_status) == (True, "manual")
    stored = await world.get(aid)
    assert (stored.status, stored.fms_state, stored.fms_request_id) == (Status.REQUESTED, FmsState.OPEN, 5000)
    assert (stored.status_before_request, stored.pending, stored.last_error) == (Status.MANUAL, None, None)
    [op] = await world.ops(aid)
    assert (op.call, op.purpose, op.actor, op.outcome) == (
        "create",
        "create",
        "alice",
        OperationOutcome.SUCCESS,
    )
    assert (op.status_code, op.fms_request_id, op.requestor_id, op.finished_at) == (201, 5000, REQUESTOR, NOW)
    sent = world.fms.requests[5000].request
    assert (sent.vehicle_id, sent.loanee_id, sent.requestor_id) == (101, ADA, REQUESTOR)
    assert (sent.start_date, sent.end_date) == (day(0), day(7))
    assert f"assignment={aid}:op={op.operation_id}" in sent.requestor_notes


async def test_request_falls_back_to_the_default_requestor(world: World) -> None:
    aid = await world.add()
    await world.request(aid, actor=Actor("system"))
    assert world.fms.requests[5000].request.requestor_id == DEFAULT_REQUESTOR


async def test_request_refused_by_fms_leaves_the_assignment_green(world: World) -> None:
    aid = await world.add()
    world.fms.fail_next(FmsFault.REFUSE)
    with pytest.raises(FmsRejected, match="scripted refusal") as excinfo:
        await world.request(aid)
    assert (excinfo.value.status_code, excinfo.value.fms_state) == (422, "none")
    stored = await world.get(aid)
    assert (stored.status, stored.fms_state, stored.fms_request_id, stored.pending) == (
        Status.PLANNED,
        FmsState.NONE,
        None,
        None,
    )
    assert stored.last_error is not None
    assert "scripted refusal" in stored.last_error
    [op] = await world.ops(aid)
    assert (op.outcome, op.status_code) == (OperationOutcome.REFUSED, 422)
    assert world.fms.requests == {}


async def test_a_vehicle_refused_by_fms_is_a_rejection(world: World) -> None:
    aid = await world.add()
    world.fms.refused_vehicle_ids.add(101)
    with pytest.raises(FmsRejected, match="not available"):
        await world.request(aid)
    assert (await world.get(aid)).fms_state is FmsState.NONE


async def test_refused_credentials_are_reported_as_such(world: World) -> None:
    aid = await world.add()
    world.fms.fail_next(FmsFault.AUTH)
    with pytest.raises(FmsCredentialsRejected) as excinfo:
        await world.request(aid)
    assert excinfo.value.status_code == 401
    assert (await world.get(aid)).fms_state is FmsState.NONE
    [op] = await world.ops(aid)
    assert (op.outcome, op.status_code) == (OperationOutcome.REFUSED, 401)


async def test_unreachable_fms_changes_nothing(world: World) -> None:
    aid = await world.add()
    world.fms.fail_next(FmsFault.UNREACHABLE)
    with pytest.raises(FmsUnavailable):
        await world.request(aid)
    stored = await world.get(aid)
    assert (stored.status, stored.fms_state, stored.pending) == (Status.PLANNED, FmsState.NONE, None)
    [op] = await world.ops(aid)
    assert op.outcome is OperationOutcome.NOT_SENT  # FMS refused nothing: the call never reached it
    assert world.fms.requests == {}


@pytest.mark.parametrize(("fault", "held_by_fms"), [(FmsFault.HANG, 0), (FmsFault.COMMIT_THEN_FAIL, 1)])
async def test_an_ambiguous_create_is_never_sent_twice(
    world: World, fault: FmsFault, held_by_fms: int
) -> None:
    aid = await world.add()
    world.fms.fail_next(fault)
    with pytest.raises(FmsOutcomeUnknown) as excinfo:
        await world.request(aid)
    assert excinfo.value.fms_state == "unknown"
    stored = await world.get(aid)
    assert (stored.status, stored.fms_state, stored.fms_request_id) == (
        Status.PLANNED,
        FmsState.UNKNOWN,
        None,
    )
    assert stored.pending is not None
    assert len(world.fms.requests) == held_by_fms
    with pytest.raises(OperationInProgress):
        await world.request(aid)
    with pytest.raises(OperationInProgress):
        await world.change(aid, Status.MANUAL)
    with pytest.raises(OperationInProgress):
        await world.delete(aid)
    assert world.fms.calls == [("create", None)]
    [op] = await world.ops(aid)
    assert op.outcome is OperationOutcome.AMBIGUOUS
    assert (await world.get(aid)).fms_state is FmsState.UNKNOWN


async def test_request_of_a_requested_assignment_is_idempotent(world: World) -> None:
    aid = await world.add_requested()
    again = await world.request(aid)
    assert (again.created_in_fms, again.old_status) == (False, "requested")
    assert world.fms.calls == [("create", None)]
    assert len(await world.ops(aid)) == 1
    assert (await world.get(aid)).fms_request_id == 5000


async def test_vehicle_without_fms_id_is_refused_before_any_call(world: World) -> None:
    aid = await world.add(VIN_NO_FMS)
    with pytest.raises(VehicleNotRequestable, match=VIN_NO_FMS) as excinfo:
        await world.request(aid)
    assert excinfo.value.vin == VIN_NO_FMS
    assert await world.ops(aid) == []
    assert world.fms.calls == []
    stored = await world.get(aid)
    assert (stored.status, stored.fms_state, stored.pending) == (Status.PLANNED, FmsState.NONE, None)


async def test_partner_of_another_office_is_refused(world: World) -> None:
    aid = await world.add(person_id=CARL)
    with pytest.raises(PartnerNotInOffice):
        await world.request(aid)
    assert world.fms.calls == []


async def test_vehicle_of_another_office_is_refused_before_any_call(world: World) -> None:
    """A Chicago vehicle booked under Los Angeles (stored before the rule, or moved since): not requested."""
    aid = await world.add(VIN_CHI)
    with pytest.raises(VehicleNotInOffice, match=VIN_CHI):
        await world.request(aid)
    assert (world.fms.calls, await world.ops(aid)) == ([], [])
    assert (await world.get(aid)).fms_state is FmsState.NONE


async def test_overlapping_assignment_blocks_the_request(world: World) -> None:
    first = await world.add(VIN_A)
    second = await world.add(VIN_A, start=day(5), status=Status.MANUAL)
    with pytest.raises(BookingConflict) as excinfo:
        await world.request(second)
    assert [c.assignment_id for c in excinfo.value.conflicts] == [first]
    assert (await world.get(second)).fms_state is FmsState.NONE
    assert (await world.ops(second), world.fms.calls) == ([], [])


async def test_touching_assignment_is_a_hand_over(world: World) -> None:
    await world.add(VIN_A)
    nxt = await world.add(VIN_A, start=day(7))
    assert (await world.request(nxt)).created_in_fms


async def test_current_fms_activity_blocks_the_request(world: World) -> None:
    aid = await world.add(VIN_B, start=day(0))  # ACTIVITY_B holds VIN_B from day 2 to day 9
    with pytest.raises(BookingConflict) as excinfo:
        await world.request(aid)
    assert [c.activity_id for c in excinfo.value.conflicts] == [ACTIVITY_B.activity_id]
    assert world.fms.calls == []


async def test_an_activity_never_conflicts_with_its_own_assignment(world: World) -> None:
    own = await world.add(VIN_B, start=day(2), status=Status.ACTIVE, activity_id=ACTIVITY_B.activity_id)
    other = await world.add(VIN_B, start=day(3))
    own_assignment, other_assignment = await world.get(own), await world.get(other)
    async with world.uow_factory() as uow:
        own_bookings = await vehicle_bookings(
            uow,
            VIN_B,
            own_assignment.start_day,
            own_assignment.end_day,
            exclude_assignment_id=own,
            own_activity_id=own_assignment.activity_id,
        )
        other_ones = await vehicle_bookings(
            uow,
            VIN_B,
            other_assignment.start_day,
            other_assignment.end_day,
            exclude_assignment_id=other,
            own_activity_id=other_assignment.activity_id,
        )
    assert all(b.activity_id != ACTIVITY_B.activity_id for b in own_bookings)
    assert ACTIVITY_B.activity_id in {b.activity_id for b in other_ones}


async def test_unknown_assignment_is_not_found(world: World) -> None:
    with pytest.raises(AssignmentNotFound):
        await world.request(999)


async def test_concurrent_requests_create_at_most_once(world: World) -> None:
    aid = await world.add()
    world.fms.latency_seconds = 0.01  # both are in flight while FMS answers
    results = await asyncio.gather(world.request(aid), world.request(aid), return_exceptions=True)
    assert sorted(type(r).__name__ for r in results) == ["OperationInProgress", "RequestResult"]
    assert world.fms.calls == [("create", None)]
    assert (await world.get(aid)).fms_state is FmsState.OPEN
    assert len(await world.ops(aid)) == 1
