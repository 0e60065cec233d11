"""One example per row of the spec's action table (status-machine.md, "User actions")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import uuid4

import pytest

from domain.assignment import Assignment
from domain.errors import FmsLockedStatus, InvalidDates, InvalidTransition, OperationInProgress
from domain.values import FmsState, Status

FMS_ID = 5001
Action = Callable[[Assignment], object]

USER_ACTIONS: dict[str, Action] = {
    "request": lambda a: a.begin_request(uuid4()),
    "unrequest": lambda a: a.begin_unrequest(uuid4()),
    "unrequest_to_planned": lambda a: a.begin_unrequest(uuid4(), Status.PLANNED),
    "delete": lambda a: a.begin_delete(uuid4()),
    "to_planned": lambda a: a.change_green_status(Status.PLANNED),
    "to_manual": lambda a: a.change_green_status(Status.MANUAL),
}


def green(status: Status = Status.PLANNED) -> Assignment:
    """A fresh green assignment with no FMS request."""
    return Assignment("VIN1", 10, "LA", date(2025, 6, 2), date(2025, 6, 9), status, assignment_id=1)


def requested(before: Status = Status.PLANNED) -> Assignment:
    """An assignment FMS accepted a request for."""
    a = green(before)
    op = uuid4()
    a.begin_request(op)
    a.request_accepted(op, FMS_ID)
    return a


def fms_state(a: Assignment) -> tuple[Status, FmsState, int | None, bool]:
    """What the calendar shows about FMS: status, fms_state, request id, removed."""
    return a.status, a.fms_state, a.fms_request_id, a.removed


# --- Request --------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.PLANNED, Status.MANUAL])
def test_request_from_green_turns_requested_once_fms_accepts(status: Status) -> None:
    a, op = green(status), uuid4()
    assert a.begin_request(op) is True
    assert fms_state(a) == (status, FmsState.CREATING, None, False)
    a.request_accepted(op, FMS_ID)
    assert fms_state(a) == (Status.REQUESTED, FmsState.OPEN, FMS_ID, False)
    assert (a.status_before_request, a.pending) == (status, None)


def test_request_refused_leaves_the_assignment_green_with_the_error() -> None:
    a, op = green(Status.MANUAL), uuid4()
    a.begin_request(op)
    a.request_refused(op, "Vehicle not available")
    assert fms_state(a) == (Status.MANUAL, FmsState.NONE, None, False)
    assert (a.pending, a.last_error) == (None, "Vehicle not available")


def test_request_ambiguous_stays_green_unknown_and_refuses_a_second_request() -> None:
    a, op = green(), uuid4()
    a.begin_request(op)
    a.request_outcome_unknown(op, "timeout")
    assert fms_state(a) == (Status.PLANNED, FmsState.UNKNOWN, None, False)
    assert a.last_error == "timeout"
    with pytest.raises(OperationInProgress):
        a.begin_request(uuid4())
    a.request_accepted(op, FMS_ID)  # settled later by the recovery worker
    assert fms_state(a) == (Status.REQUESTED, FmsState.OPEN, FMS_ID, False)


def test_request_when_requested_is_an_idempotent_no_op() -> None:
    a = requested()
    before = fms_state(a)
    assert a.begin_request(uuid4()) is False
    assert fms_state(a) == before
    assert a.pending is None


def test_an_outcome_for_another_operation_is_refused() -> None:
    a = green()
    a.begin_request(uuid4())
    with pytest.raises(InvalidTransition):
        a.request_accepted(uuid4(), FMS_ID)
    assert a.fms_state is FmsState.CREATING


# --- Unrequest ------------------------------------------------------------------------------


def test_unrequest_to_the_status_asked_for() -> None:
    a, op = requested(Status.PLANNED), uuid4()
    a.begin_unrequest(op, Status.MANUAL)
    assert fms_state(a) == (Status.REQUESTED, FmsState.DELETING, FMS_ID, False)
    a.fms_delete_confirmed(op)
    assert fms_state(a) == (Status.MANUAL, FmsState.NONE, None, False)
    assert a.status_before_request is None


@pytest.mark.parametrize("before", [Status.PLANNED, Status.MANUAL])
def test_unrequest_without_a_target_returns_to_the_earlier_status(before: Status) -> None:
    a, op = requested(before), uuid4()
    a.begin_unrequest(op)
    a.fms_delete_confirmed(op)
    assert fms_state(a) == (before, FmsState.NONE, None, False)


def test_unrequest_refused_stays_requested_with_the_error() -> None:
    a, op = requested(), uuid4()
    a.begin_unrequest(op, Status.PLANNED)
    a.fms_delete_refused(op, "Request already approved")
    assert fms_state(a) == (Status.REQUESTED, FmsState.OPEN, FMS_ID, False)
    assert (a.pending, a.last_error) == (None, "Request already approved")


def test_unrequest_ambiguous_stays_requested_and_deleting() -> None:
    a, op = requested(), uuid4()
    a.begin_unrequest(op)
    a.fms_delete_outcome_unknown(op, "502")
    assert fms_state(a) == (Status.REQUESTED, FmsState.DELETING, FMS_ID, False)
    with pytest.raises(OperationInProgress):
        a.begin_unrequest(uuid4())
    a.fms_delete_confirmed(op)  # a retried delete settles it
    assert fms_state(a) == (Status.PLANNED, FmsState.NONE, None, False)


@pytest.mark.parametrize("target", [Status.REQUESTED, Status.ACTIVE, Status.COMPLETED])
def test_unrequest_to_a_non_green_status_is_refused(target: Status) -> None:
    a = requested()
    with pytest.raises(InvalidTransition):
        a.begin_unrequest(uuid4(), target)
    assert fms_state(a) == (Status.REQUESTED, FmsState.OPEN, FMS_ID, False)


def test_unrequest_of_a_green_assignment_is_refused() -> None:
    with pytest.raises(InvalidTransition):
        green().begin_unrequest(uuid4())


# --- Delete ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.PLANNED, Status.MANUAL])
def test_delete_green_removes_without_fms(status: Status) -> None:
    a = green(status)
    assert a.begin_delete(uuid4()) is False
    assert fms_state(a) == (status, FmsState.NONE, None, True)


def test_delete_requested_removes_once_fms_confirms() -> None:
    a, op = requested(), uuid4()
    assert a.begin_delete(op) is True
    assert fms_state(a) == (Status.REQUESTED, FmsState.DELETING, FMS_ID, False)
    a.fms_delete_confirmed(op)
    assert (a.removed, a.fms_state, a.fms_request_id, a.pending) == (True, FmsState.NONE, None, None)


def test_delete_requested_refused_stays_requested() -> None:
    a, op = requested(), uuid4()
    a.begin_delete(op)
    a.fms_delete_refused(op, "nope")
    assert fms_state(a) == (Status.REQUESTED, FmsState.OPEN, FMS_ID, False)
    assert a.last_error == "nope"


def test_delete_requested_ambiguous_stays_deleting_until_confirmed() -> None:
    a, op = requested(), uuid4()
    a.begin_delete(op)
    a.fms_delete_outcome_unknown(op, "timeout")
    assert fms_state(a) == (Status.REQUESTED, FmsState.DELETING, FMS_ID, False)
    a.fms_delete_confirmed(op)
    assert a.removed


# --- planned <-> manual, and the refusals ---------------------------------------------------


@pytest.mark.parametrize(("start", "new"), [(Status.PLANNED, Status.MANUAL), (Status.MANUAL, Status.PLANNED)])
def test_change_between_green_statuses(start: Status, new: Status) -> None:
    a = green(start)
    a.change_green_status(new)
    assert fms_state(a) == (new, FmsState.NONE, None, False)


@pytest.mark.parametrize("new", [Status.REQUESTED, Status.ACTIVE, Status.COMPLETED])
def test_change_to_a_non_green_status_is_refused(new: Status) -> None:
    a = green()
    with pytest.raises(InvalidTransition):
        a.change_green_status(new)
    assert a.status is Status.PLANNED


def test_change_of_a_requested_assignment_needs_an_unrequest() -> None:
    with pytest.raises(InvalidTransition, match="unrequest"):
        requested().change_green_status(Status.MANUAL)


@pytest.mark.parametrize("completed", [False, True])
@pytest.mark.parametrize("action", USER_ACTIONS)
def test_any_action_on_fms_owned_loans_is_refused(action: str, completed: bool) -> None:
    a = requested()
    a.activate(777)
    if completed:
        a.complete()
    before = fms_state(a)
    with pytest.raises(FmsLockedStatus):
        USER_ACTIONS[action](a)
    assert fms_state(a) == before


def _in_flight(state: FmsState) -> Assignment:
    if state is FmsState.DELETING:
        a = requested()
        a.begin_unrequest(uuid4())
        return a
    a = green()
    a.begin_request(op := uuid4())
    if state is FmsState.UNKNOWN:
        a.request_outcome_unknown(op, "timeout")
    return a


@pytest.mark.parametrize("state", [FmsState.CREATING, FmsState.DELETING, FmsState.UNKNOWN])
@pytest.mark.parametrize("action", USER_ACTIONS)
def test_actions_while_an_fms_operation_is_in_flight_are_refused(action: str, state: FmsState) -> None:
    a = _in_flight(state)
    before = (fms_state(a), a.pending)
    with pytest.raises(OperationInProgress):
        USER_ACTIONS[action](a)
    assert (fms_state(a), a.pending) == before


@pytest.mark.parametrize("action", USER_ACTIONS)
def test_actions_on_a_removed_assignment_are_refused(action: str) -> None:
    a = green()
    a.begin_delete(uuid4())
    with pytest.raises(InvalidTransition):
        USER_ACTIONS[action](a)


@pytest.mark.parametrize("end", [date(2025, 6, 2), date(2025, 6, 1)])
def test_an_assignment_must_start_before_it_ends(end: date) -> None:
    with pytest.raises(InvalidDates):
        Assignment("VIN1", 10, "LA", date(2025, 6, 2), end, Status.PLANNED)
