"""Property tests: drive the Assignment aggregate through every method, check I1, I3 and pending.

Each user rule predicts from the spec's action table whether the action is allowed; when it is
refused, the rule expects the documented InvalidTransition subclass and that nothing changed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from uuid import UUID, uuid4

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from domain.assignment import Assignment, PendingOperation
from domain.errors import FmsLockedStatus, InvalidTransition, OperationInProgress
from domain.values import FmsState, PendingKind, Status

GREEN = (Status.PLANNED, Status.MANUAL)


def user_refusal(a: Assignment) -> type[InvalidTransition] | None:
    """The error the spec gives for any user action in this state, or None when actions may proceed."""
    if a.removed:
        return InvalidTransition
    if a.status in (Status.ACTIVE, Status.COMPLETED):
        return FmsLockedStatus
    if a.fms_state in (FmsState.CREATING, FmsState.DELETING, FmsState.UNKNOWN):
        return OperationInProgress
    return None


def _fresh(status: Status) -> Assignment:
    return Assignment("VIN1", 10, "LA", date(2025, 6, 2), date(2025, 6, 9), status, assignment_id=1)


class AssignmentMachine(RuleBasedStateMachine):
    """One assignment, every action, the spec as the model."""

    def __init__(self) -> None:
        super().__init__()
        self.a = _fresh(Status.PLANNED)
        self.locked: Assignment | None = None  # snapshot once FMS owns the loan (I3)
        self.unrequest_target: Status | None = None

    @initialize(status=st.sampled_from(GREEN))
    def start(self, status: Status) -> None:
        self.a = _fresh(status)

    # --- helpers ----------------------------------------------------------------------------

    def _refused(self, expected: type[InvalidTransition], call: Callable[[], object]) -> None:
        before = copy.deepcopy(self.a)
        with pytest.raises(InvalidTransition) as excinfo:
            call()
        assert excinfo.type is expected, f"{excinfo.type.__name__} raised, {expected.__name__} expected"
        assert self.a == before, "a refused action changed the assignment"

    def _pending_op(self) -> UUID:
        assert self.a.pending is not None
        return self.a.pending.operation_id

    def _pending_is(self, *kinds: PendingKind) -> bool:
        return self.a.pending is not None and self.a.pending.kind in kinds

    def _fms(self) -> tuple[Status, FmsState, int | None]:
        return self.a.status, self.a.fms_state, self.a.fms_request_id

    # --- user actions -----------------------------------------------------------------------

    @rule(new_status=st.sampled_from(Status))
    def change_green_status(self, new_status: Status) -> None:
        refusal = user_refusal(self.a)
        if refusal is None and (new_status not in GREEN or self.a.status not in GREEN):
            refusal = InvalidTransition
        if refusal is not None:
            self._refused(refusal, lambda: self.a.change_green_status(new_status))
            return
        before = copy.deepcopy(self.a)
        self.a.change_green_status(new_status)
        before.status = new_status
        assert self.a == before

    @rule()
    def begin_request(self) -> None:
        a = self.a
        if not a.removed and a.status is Status.REQUESTED and a.fms_state is FmsState.OPEN:
            before = copy.deepcopy(a)
            assert a.begin_request(uuid4()) is False
            assert a == before
            return
        refusal = user_refusal(a) or (None if a.status in GREEN else InvalidTransition)
        if refusal is not None:
            self._refused(refusal, lambda: a.begin_request(uuid4()))
            return
        op = uuid4()
        assert a.begin_request(op) is True
        assert (a.status in GREEN, a.fms_state) == (True, FmsState.CREATING)
        assert a.pending == PendingOperation(op, PendingKind.CREATE)

    @rule(target_status=st.one_of(st.none(), st.sampled_from(Status)))
    def begin_unrequest(self, target_status: Status | None) -> None:
        a, target = self.a, target_status
        refusal = user_refusal(a)
        if refusal is None and (a.status is not Status.REQUESTED or (target and target not in GREEN)):
            refusal = InvalidTransition
        if refusal is not None:
            self._refused(refusal, lambda: a.begin_unrequest(uuid4(), target))
            return
        self.unrequest_target = target or a.status_before_request or Status.MANUAL
        a.begin_unrequest(uuid4(), target)
        assert (a.status, a.fms_state) == (Status.REQUESTED, FmsState.DELETING)
        assert self._pending_is(PendingKind.UNREQUEST)

    @rule()
    def begin_delete(self) -> None:
        a = self.a
        refusal = user_refusal(a)
        if refusal is not None:
            self._refused(refusal, lambda: a.begin_delete(uuid4()))
            return
        was_requested = a.status is Status.REQUESTED
        assert a.begin_delete(uuid4()) is was_requested
        if was_requested:
            assert (a.fms_state, a.removed) == (FmsState.DELETING, False)
            assert self._pending_is(PendingKind.DELETE)
        else:
            assert (a.removed, a.fms_state, a.pending) == (True, FmsState.NONE, None)

    # --- FMS outcomes -----------------------------------------------------------------------

    @rule(fms_id=st.integers(min_value=1, max_value=10**6))
    def stale_outcome_is_refused(self, fms_id: int) -> None:
        stranger = uuid4()
        self._refused(InvalidTransition, lambda: self.a.request_accepted(stranger, fms_id))
        self._refused(InvalidTransition, lambda: self.a.fms_delete_confirmed(stranger))

    @precondition(lambda self: self._pending_is(PendingKind.CREATE))
    @rule(fms_id=st.integers(min_value=1, max_value=10**6))
    def request_accepted(self, fms_id: int) -> None:
        earlier = self.a.status
        self.a.request_accepted(self._pending_op(), fms_id)
        assert self._fms() == (Status.REQUESTED, FmsState.OPEN, fms_id)
        assert self.a.status_before_request is earlier

    @precondition(lambda self: self._pending_is(PendingKind.CREATE))
    @rule()
    def request_refused(self) -> None:
        status = self.a.status
        self.a.request_refused(self._pending_op(), "422 refused")
        assert (self.a.status, self.a.fms_state, self.a.last_error) == (status, FmsState.NONE, "422 refused")

    @precondition(lambda self: self._pending_is(PendingKind.CREATE))
    @rule()
    def request_outcome_unknown(self) -> None:
        status = self.a.status
        self.a.request_outcome_unknown(self._pending_op(), "timeout")
        assert (self.a.status, self.a.fms_state) == (status, FmsState.UNKNOWN)

    @precondition(lambda self: self._pending_is(PendingKind.UNREQUEST, PendingKind.DELETE))
    @rule()
    def fms_delete_confirmed(self) -> None:
        deleting = self._pending_is(PendingKind.DELETE)
        self.a.fms_delete_confirmed(self._pending_op())
        assert (self.a.fms_state, self.a.fms_request_id, self.a.pending) == (FmsState.NONE, None, None)
        if deleting:
            assert self.a.removed
        else:
            assert self.a.status is self.unrequest_target

    @precondition(lambda self: self._pending_is(PendingKind.UNREQUEST, PendingKind.DELETE))
    @rule()
    def fms_delete_refused(self) -> None:
        fms_id = self.a.fms_request_id
        self.a.fms_delete_refused(self._pending_op(), "refused")
        assert self._fms() == (Status.REQUESTED, FmsState.OPEN, fms_id)
        assert (self.a.removed, self.a.last_error) == (False, "refused")

    @precondition(lambda self: self._pending_is(PendingKind.UNREQUEST, PendingKind.DELETE))
    @rule()
    def fms_delete_outcome_unknown(self) -> None:
        self.a.fms_delete_outcome_unknown(self._pending_op(), "502")
        assert (self.a.status, self.a.fms_state) == (Status.REQUESTED, FmsState.DELETING)

    # --- sync -------------------------------------------------------------------------------

    def _fms_may_hold_request(self) -> bool:
        """What the nightly sync activates: requested, or a create still creating/unknown."""
        a = self.a
        return not a.removed and (
            a.status is Status.REQUESTED or a.fms_state in (FmsState.CREATING, FmsState.UNKNOWN)
        )

    @precondition(_fms_may_hold_request)
    @rule(activity_id=st.integers(min_value=1, max_value=10**6))
    def activate(self, activity_id: int) -> None:
        fms_id = self.a.fms_request_id
        self.a.activate(activity_id)
        assert self._fms() == (Status.ACTIVE, FmsState.NONE, fms_id), "request id kept for the record"
        assert (self.a.activity_id, self.a.pending) == (activity_id, None)
        self.locked = copy.deepcopy(self.a)

    @precondition(lambda self: self.a.status is Status.ACTIVE)
    @rule()
    def complete(self) -> None:
        self.a.complete()
        assert self.a.status is Status.COMPLETED
        self.locked = copy.deepcopy(self.a)

    @precondition(lambda self: self.a.removed or self.a.status is Status.COMPLETED)
    @rule(activity_id=st.integers(min_value=1, max_value=10**6))
    def sync_refused_on_removed_or_completed(self, activity_id: int) -> None:
        self._refused(InvalidTransition, lambda: self.a.activate(activity_id))
        self._refused(InvalidTransition, self.a.complete)

    @precondition(lambda self: self.a.removed or self.a.status is Status.COMPLETED)
    @rule(status=st.sampled_from(GREEN))
    def next_assignment(self, status: Status) -> None:
        """Removed and completed are final: carry on exploring with a fresh assignment."""
        self.a = _fresh(status)
        self.locked = None

    # --- invariants -------------------------------------------------------------------------

    @invariant()
    def i1_requested_exactly_when_fms_holds_a_request(self) -> None:
        if self.a.removed:
            return  # a tombstone is a record, not a live booking
        holds = self.a.fms_state in (FmsState.OPEN, FmsState.DELETING)
        assert (self.a.status is Status.REQUESTED) == holds
        if holds:
            assert self.a.fms_request_id is not None

    @invariant()
    def pending_exactly_when_in_flight(self) -> None:
        in_flight = self.a.fms_state in (FmsState.CREATING, FmsState.DELETING, FmsState.UNKNOWN)
        assert (self.a.pending is not None) == in_flight

    @invariant()
    def i3_fms_owned_loans_never_change_but_by_sync(self) -> None:
        if self.locked is not None:
            assert self.a == self.locked

    @invariant()
    def removed_only_from_user_editable_states(self) -> None:
        if self.a.removed:
            assert self.a.status not in (Status.ACTIVE, Status.COMPLETED)
            assert (self.a.fms_state, self.a.pending) == (FmsState.NONE, None)


AssignmentMachine.TestCase.settings = settings(max_examples=200, stateful_step_count=30, deadline=None)
TestAssignmentStatusMachine = AssignmentMachine.TestCase
