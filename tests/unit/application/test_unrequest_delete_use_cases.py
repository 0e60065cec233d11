"""Unrequest, Delete and the status-change dispatch on the memory adapters: end state only."""

from __future__ import annotations

import pytest

from adapters.fms_faults import FmsFault
from application.errors import AssignmentNotFound, FmsOutcomeUnknown, FmsRejected, FmsUnavailable
from application.records import OperationOutcome
from application.request import load_live
from domain.assignment import Assignment
from domain.errors import FmsLockedStatus, InvalidTransition
from domain.values import FmsState, Status
from tests.unit.application.scheduler_world import VIN_A, World


def shown(a: Assignment) -> tuple[Status, FmsState, int | None, bool]:
    """Status, fms_state, FMS request id and removed flag."""
    return a.status, a.fms_state, a.fms_request_id, a.removed


# --- Unrequest ------------------------------------------------------------------------------


async def test_unrequest_to_the_status_asked_for(world: World) -> None:
    aid = await world.add_requested(status=Status.PLANNED)
    result = await world.unrequest(aid, Status.MANUAL)
    assert (result.old_status, result.deleted_from_fms) == ("requested", True)
    assert shown(await world.get(aid)) == (Status.MANUAL, FmsState.NONE, None, False)
    assert world.fms.requests == {}
    create, delete = await world.ops(aid)
    assert create.call == "create"
    assert (delete.call, delete.purpose, delete.outcome) == ("delete", "unrequest", OperationOutcome.SUCCESS)
    assert (delete.status_code, delete.fms_request_id) == (204, 5000)


@pytest.mark.parametrize("before", [Status.PLANNED, Status.MANUAL])
async def test_unrequest_without_target_returns_to_the_earlier_status(world: World, before: Status) -> None:
    aid = await world.add_requested(status=before)
    await world.unrequest(aid)
    assert shown(await world.get(aid)) == (before, FmsState.NONE, None, False)


@pytest.mark.parametrize(
    ("fault", "error", "audited"),
    [
        (FmsFault.REFUSE, FmsRejected, OperationOutcome.REFUSED),
        (FmsFault.UNREACHABLE, FmsUnavailable, OperationOutcome.NOT_SENT),  # never reached FMS
    ],
)
async def test_unrequest_refused_stays_requested(
    world: World, fault: FmsFault, error: type[Exception], audited: OperationOutcome
) -> None:
    aid = await world.add_requested()
    world.fms.fail_next(fault)
    with pytest.raises(error):
        await world.unrequest(aid, Status.PLANNED)
    stored = await world.get(aid)
    assert shown(stored) == (Status.REQUESTED, FmsState.OPEN, 5000, False)
    assert (stored.pending, stored.last_error is not None) == (None, True)
    assert 5000 in world.fms.requests
    assert (await world.ops(aid))[-1].outcome is audited


@pytest.mark.parametrize(
    ("fault", "still_in_fms"), [(FmsFault.HANG, True), (FmsFault.COMMIT_THEN_FAIL, False)]
)
async def test_unrequest_ambiguous_stays_requested_and_deleting(
    world: World, fault: FmsFault, still_in_fms: bool
) -> None:
    aid = await world.add_requested()
    world.fms.fail_next(fault)
    with pytest.raises(FmsOutcomeUnknown) as excinfo:
        await world.unrequest(aid)
    assert excinfo.value.fms_state == "deleting"
    assert shown(await world.get(aid)) == (Status.REQUESTED, FmsState.DELETING, 5000, False)
    assert (5000 in world.fms.requests) is still_in_fms
    assert (await world.ops(aid))[-1].outcome is OperationOutcome.AMBIGUOUS


async def test_unrequest_of_a_green_assignment_is_refused(world: World) -> None:
    aid = await world.add()
    with pytest.raises(InvalidTransition):
        await world.unrequest(aid)
    assert (await world.ops(aid), world.fms.calls) == ([], [])


# --- Delete ---------------------------------------------------------------------------------


async def test_delete_green_removes_without_fms(world: World) -> None:
    aid = await world.add(status=Status.MANUAL)
    result = await world.delete(aid)
    assert (result.old_status, result.deleted_from_fms) == ("manual", False)
    assert (await world.get(aid)).removed
    async with world.uow_factory() as uow:
        with pytest.raises(AssignmentNotFound):
            await load_live(uow, aid)
    assert (await world.ops(aid), world.fms.calls) == ([], [])


async def test_delete_requested_deletes_in_fms_then_removes(world: World) -> None:
    aid = await world.add_requested()
    result = await world.delete(aid)
    assert (result.old_status, result.deleted_from_fms) == ("requested", True)
    tombstone = await world.get(aid)
    assert (tombstone.removed, tombstone.fms_state, tombstone.fms_request_id) == (True, FmsState.NONE, None)
    async with world.uow_factory() as uow:
        with pytest.raises(AssignmentNotFound):
            await load_live(uow, aid)
    assert world.fms.requests == {}
    delete = (await world.ops(aid))[-1]
    assert (delete.call, delete.purpose, delete.outcome, delete.status_code) == (
        "delete",
        "delete",
        OperationOutcome.SUCCESS,
        204,
    )
    with pytest.raises(AssignmentNotFound):
        await world.delete(aid)


async def test_delete_of_a_request_fms_no_longer_holds_still_completes(world: World) -> None:
    aid = await world.add_requested()
    del world.fms.requests[5000]  # gone in FMS already: 404 counts as done
    await world.delete(aid)
    assert (await world.get(aid)).removed
    delete = (await world.ops(aid))[-1]
    assert (delete.outcome, delete.status_code) == (OperationOutcome.SUCCESS, 404)


async def test_delete_requested_refused_stays_requested(world: World) -> None:
    aid = await world.add_requested()
    world.fms.fail_next(FmsFault.REFUSE)
    with pytest.raises(FmsRejected):
        await world.delete(aid)
    assert shown(await world.get(aid)) == (Status.REQUESTED, FmsState.OPEN, 5000, False)
    assert 5000 in world.fms.requests


async def test_delete_requested_ambiguous_is_not_removed_yet(world: World) -> None:
    aid = await world.add_requested()
    world.fms.fail_next(FmsFault.HANG)
    with pytest.raises(FmsOutcomeUnknown):
        await world.delete(aid)
    assert shown(await world.get(aid)) == (Status.REQUESTED, FmsState.DELETING, 5000, False)


# --- change_status dispatch -----------------------------------------------------------------


async def test_change_between_green_statuses_calls_nobody(world: World) -> None:
    aid = await world.add(status=Status.PLANNED)
    change = await world.change(aid, Status.MANUAL)
    assert (change.old_status, change.fms_action, change.assignment.status) == (
        "planned",
        "none",
        Status.MANUAL,
    )
    assert (await world.get(aid)).status is Status.MANUAL
    assert world.fms.calls == []


async def test_change_to_requested_creates_and_back_to_planned_deletes(world: World) -> None:
    aid = await world.add(status=Status.MANUAL)
    up = await world.change(aid, Status.REQUESTED)
    assert (up.old_status, up.fms_action) == ("manual", "create")
    assert shown(await world.get(aid)) == (Status.REQUESTED, FmsState.OPEN, 5000, False)
    again = await world.change(aid, Status.REQUESTED)
    assert again.fms_action == "none"
    down = await world.change(aid, Status.PLANNED)
    assert (down.old_status, down.fms_action) == ("requested", "delete")
    assert shown(await world.get(aid)) == (Status.PLANNED, FmsState.NONE, None, False)
    assert world.fms.calls == [("create", None), ("delete", 5000)]


async def test_change_to_a_status_fms_owns_is_refused(world: World) -> None:
    aid = await world.add()
    with pytest.raises(InvalidTransition):
        await world.change(aid, Status.ACTIVE)
    assert (await world.get(aid)).status is Status.PLANNED


@pytest.mark.parametrize("owned", [Status.ACTIVE, Status.COMPLETED])
@pytest.mark.parametrize("new_status", [Status.PLANNED, Status.MANUAL, Status.REQUESTED])
async def test_fms_owned_loans_are_refused(world: World, owned: Status, new_status: Status) -> None:
    aid = await world.add(VIN_A, status=owned, activity_id=77)
    before = await world.get(aid)
    with pytest.raises(FmsLockedStatus):
        await world.change(aid, new_status)
    with pytest.raises(FmsLockedStatus):
        await world.unrequest(aid)
    with pytest.raises(FmsLockedStatus):
        await world.delete(aid)
    assert await world.get(aid) == before
    assert (await world.ops(aid), world.fms.calls) == ([], [])
