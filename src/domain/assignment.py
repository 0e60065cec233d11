"""The Assignment aggregate and its status machine (spec: status-machine.md).

Every user or sync action is a method that either changes the aggregate consistently or raises.
Invariant I1 (status requested exactly when fms_state is open or deleting, and then an fms_request_id
is held) and I3 (user actions never change active or completed assignments) are kept here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from uuid import UUID

from domain.errors import (
    FmsLockedStatus,
    FmsMayStillAct,
    InvalidDates,
    InvalidTransition,
    OperationHeld,
    OperationInProgress,
)
from domain.values import DayRange, FmsState, PendingKind, Resolution, Status


@dataclass(frozen=True)
class PendingOperation:
    """The FMS call an assignment is waiting on: its id, purpose, the status to land in, and its hold.

    held_by names the process that has the call queued or under way (its lease lives in the database);
    quiet_until is when an ambiguous call's aftermath is over and the operation may be taken over.
    """

    operation_id: UUID
    kind: PendingKind
    target_status: Status | None = None
    held_by: UUID | None = None
    quiet_until: datetime | None = None


@dataclass
class Assignment:
    """One planned loan of a vehicle to a media partner, with its FMS request state."""

    vin: str
    person_id: int
    office: str
    start_day: date
    end_day: date
    status: Status
    assignment_id: int | None = None
    partner_name: str | None = None
    make: str | None = None
    model: str | None = None
    score: float | None = None
    fms_state: FmsState = FmsState.NONE
    fms_request_id: int | None = None
    activity_id: int | None = None
    status_before_request: Status | None = None
    pending: PendingOperation | None = None
    last_error: str | None = None
    removed: bool = False
    version: int = 0
    created_by: str | None = None

    def __post_init__(self) -> None:
        if self.start_day >= self.end_day:
            raise InvalidDates(
                f"start_day {self.start_day.isoformat()} must be before end_day {self.end_day.isoformat()}"
            )

    @property
    def days(self) -> DayRange:
        """The days this assignment holds its vehicle."""
        return DayRange(self.start_day, self.end_day)

    # --- guards -------------------------------------------------------------------------------

    def _ensure_user_editable(self) -> None:
        if self.removed:
            raise InvalidTransition(f"assignment {self.assignment_id} has been removed")
        if self.status.owned_by_fms:
            raise FmsLockedStatus(
                f"assignment {self.assignment_id} is {self.status}: FMS owns this loan, it cannot be changed"
            )
        if self.fms_state.in_flight:
            raise OperationInProgress(
                f"FMS operation in progress for assignment {self.assignment_id} "
                f"(fms_state {self.fms_state}); try again once it is settled"
            )

    def _expect_pending(self, operation_id: UUID, kind: PendingKind | tuple[PendingKind, ...]) -> None:
        kinds = kind if isinstance(kind, tuple) else (kind,)
        pending = self.pending
        if pending is None or pending.operation_id != operation_id or pending.kind not in kinds:
            raise InvalidTransition(
                f"assignment {self.assignment_id} is not waiting on operation {operation_id}"
            )

    # --- green edits --------------------------------------------------------------------------

    def change_green_status(self, new_status: Status) -> None:
        """planned <-> manual: no FMS call."""
        self._ensure_user_editable()
        if not new_status.is_green:
            raise InvalidTransition(f"{new_status} is not a green status")
        if not self.status.is_green:
            raise InvalidTransition(
                f"assignment {self.assignment_id} is {self.status}; unrequest it to make it {new_status}"
            )
        self.status = new_status

    # --- request ------------------------------------------------------------------------------

    def begin_request(self, operation_id: UUID) -> bool:
        """Decide a Request: True when FMS must be called (intent recorded), False when already requested."""
        if self.status is Status.REQUESTED and self.fms_state is FmsState.OPEN and not self.removed:
            return False
        self._ensure_user_editable()
        if not self.status.is_green:
            raise InvalidTransition(f"assignment {self.assignment_id} is {self.status}; cannot request it")
        self.fms_state = FmsState.CREATING
        self.pending = PendingOperation(operation_id, PendingKind.CREATE)
        self.last_error = None
        return True

    def request_accepted(self, operation_id: UUID, fms_request_id: int) -> None:
        """FMS accepted the create: the bar turns magenta."""
        self._expect_pending(operation_id, PendingKind.CREATE)
        self.status_before_request = self.status
        self.status = Status.REQUESTED
        self.fms_state = FmsState.OPEN
        self.fms_request_id = fms_request_id
        self.pending = None
        self.last_error = None

    def request_refused(self, operation_id: UUID, reason: str) -> None:
        """FMS definitely refused the create: nothing exists there, the assignment is unchanged."""
        self._expect_pending(operation_id, PendingKind.CREATE)
        self.fms_state = FmsState.NONE
        self.pending = None
        self.last_error = reason

    def request_outcome_unknown(self, operation_id: UUID, reason: str) -> None:
        """The create may or may not have reached FMS: stay green, mark unknown, never resend blindly."""
        self._expect_pending(operation_id, PendingKind.CREATE)
        self.fms_state = FmsState.UNKNOWN
        self.last_error = reason

    # --- unrequest ----------------------------------------------------------------------------

    def _begin_fms_delete(self, operation_id: UUID, kind: PendingKind, target: Status | None) -> None:
        self.fms_state = FmsState.DELETING
        self.pending = PendingOperation(operation_id, kind, target)
        self.last_error = None

    def begin_unrequest(self, operation_id: UUID, target_status: Status | None = None) -> None:
        """Decide an Unrequest: the FMS request must be deleted, then the bar turns green."""
        self._ensure_user_editable()
        if self.status is not Status.REQUESTED:
            raise InvalidTransition(
                f"assignment {self.assignment_id} is {self.status}, not requested; nothing to unrequest"
            )
        if target_status is not None and not target_status.is_green:
            raise InvalidTransition(f"cannot unrequest to {target_status}")
        target = target_status or self.status_before_request or Status.MANUAL
        self._begin_fms_delete(operation_id, PendingKind.UNREQUEST, target)

    def fms_delete_confirmed(self, operation_id: UUID) -> None:
        """FMS no longer holds the request (deleted, or 404): finish the unrequest or the delete."""
        self._expect_pending(operation_id, (PendingKind.UNREQUEST, PendingKind.DELETE))
        assert self.pending is not None
        if self.pending.kind is PendingKind.DELETE:
            # The tombstone keeps I1: with no FMS request left, it is no longer requested.
            self.removed = True
            self.status = self.status_before_request or Status.MANUAL
        else:
            self.status = self.pending.target_status or Status.MANUAL
        self.status_before_request = None
        self.fms_state = FmsState.NONE
        self.fms_request_id = None
        self.pending = None
        self.last_error = None

    def fms_delete_refused(self, operation_id: UUID, reason: str) -> None:
        """FMS definitely refused the delete: the request stays, so does the magenta bar."""
        self._expect_pending(operation_id, (PendingKind.UNREQUEST, PendingKind.DELETE))
        self.fms_state = FmsState.OPEN
        self.pending = None
        self.last_error = reason

    def fms_delete_outcome_unknown(self, operation_id: UUID, reason: str) -> None:
        """The delete may not have happened: stay requested and deleting until settled."""
        self._expect_pending(operation_id, (PendingKind.UNREQUEST, PendingKind.DELETE))
        self.last_error = reason

    # --- delete -------------------------------------------------------------------------------

    def begin_delete(self, operation_id: UUID) -> bool:
        """Decide a Delete: True when FMS must delete the request first, False when removed at once."""
        self._ensure_user_editable()
        if self.status is Status.REQUESTED:
            self._begin_fms_delete(operation_id, PendingKind.DELETE, None)
            return True
        self.removed = True
        return False

    # --- holds: who may settle the pending operation ----------------------------------------

    def hold(self, holder_id: UUID) -> None:
        """The process that records the intent (or takes it over) holds the pending operation."""
        if self.pending is None:
            raise InvalidTransition(f"assignment {self.assignment_id} has no FMS operation to hold")
        self.pending = replace(self.pending, held_by=holder_id, quiet_until=None)

    def release(self, holder_id: UUID, quiet_until: datetime | None) -> None:
        """The holder is done with its call but the operation is not settled: free it after quiet_until."""
        if self.pending is not None and self.pending.held_by in (holder_id, None):
            self.pending = replace(self.pending, held_by=None, quiet_until=quiet_until)

    def ensure_not_held(self, *, holder_live: bool, by: UUID | None = None) -> None:
        """Refuse (OperationHeld) while another live process holds the pending operation."""
        held_by = self.pending.held_by if self.pending is not None else None
        if held_by is not None and held_by != by and holder_live:
            raise OperationHeld(
                f"FMS call under way for assignment {self.assignment_id}: a running process holds "
                "its operation; try again once that call has finished"
            )

    def take_over(self, holder_id: UUID, *, holder_live: bool) -> None:
        """Another process (the recovery worker) takes the pending operation; refused while it is held."""
        self.ensure_not_held(holder_live=holder_live, by=holder_id)
        self.hold(holder_id)

    # --- settling by a person -----------------------------------------------------------------

    def fms_may_act_until(self, now: datetime) -> datetime | None:
        """The end of the quiet time after an unclear answer, while it lasts: FMS may still act."""
        quiet = self.pending.quiet_until if self.pending is not None else None
        return quiet if quiet is not None and quiet > now else None

    def ensure_fms_done_acting(self, resolution: Resolution, now: datetime) -> None:
        """Refuse (FmsMayStillAct) to conclude inside the quiet time that FMS did not act.

        `not_sent` and `still_open` say FMS did nothing, which a late create or delete can still
        make untrue; `link` and `deleted` record what FMS visibly did, which it cannot undo.
        """
        until = self.fms_may_act_until(now)
        if until is not None and resolution in (Resolution.NOT_SENT, Resolution.STILL_OPEN):
            raise FmsMayStillAct(
                f"FMS may still act on the pending operation of assignment {self.assignment_id} until "
                f"{until.isoformat()} (the quiet time after an unclear answer); resolve it as "
                f"{resolution.value} after that time",
                until,
            )

    def resolve(
        self,
        resolution: Resolution,
        fms_request_id: int | None = None,
        *,
        now: datetime,
        holder_live: bool = False,
    ) -> None:
        """A person settles the pending operation with what they found in FMS; never while it is held,
        and never concluding FMS did nothing while it may still act."""
        pending = self.pending
        if pending is None or self.removed:
            raise InvalidTransition(f"assignment {self.assignment_id} has no FMS operation to resolve")
        self.ensure_not_held(holder_live=holder_live)
        self.ensure_fms_done_acting(resolution, now)
        reason = f"resolved by a person: {resolution.value}"
        if pending.kind is PendingKind.CREATE:
            if resolution is Resolution.LINK:
                if fms_request_id is None or fms_request_id <= 0:
                    raise InvalidTransition("linking needs the FMS request id")
                self.request_accepted(pending.operation_id, fms_request_id)
            elif resolution is Resolution.NOT_SENT:
                self.request_refused(pending.operation_id, reason)
            else:
                raise InvalidTransition(f"a pending create is resolved by link or not_sent, not {resolution}")
        elif resolution is Resolution.DELETED:
            self.fms_delete_confirmed(pending.operation_id)
        elif resolution is Resolution.STILL_OPEN:
            self.fms_delete_refused(pending.operation_id, reason)
        else:
            raise InvalidTransition(
                f"a pending delete is resolved by deleted or still_open, not {resolution}"
            )

    # --- sync-driven --------------------------------------------------------------------------

    def activate(self, activity_id: int) -> None:
        """FMS approved the loan: it shows as a current activity (sync, not a user action)."""
        if self.removed or self.status.owned_by_fms:
            raise InvalidTransition(f"assignment {self.assignment_id} is {self.status}; cannot activate")
        self.status = Status.ACTIVE
        self.activity_id = activity_id
        self.fms_state = FmsState.NONE
        self.pending = None

    def fms_withdrew(self, reason: str) -> None:
        """FMS rejected or cancelled the request: back to the green status it had, the reason shown."""
        if self.removed or self.status is not Status.REQUESTED or self.pending is not None:
            raise InvalidTransition(
                f"assignment {self.assignment_id} is {self.status}; FMS cannot withdraw it"
            )
        self.status = self.status_before_request or Status.MANUAL
        self.status_before_request = None
        self.fms_state = FmsState.NONE
        self.fms_request_id = None
        self.last_error = reason

    def complete(self) -> None:
        """The loan is over (sync)."""
        if self.status is not Status.ACTIVE:
            raise InvalidTransition(f"assignment {self.assignment_id} is {self.status}; cannot complete")
        self.status = Status.COMPLETED
