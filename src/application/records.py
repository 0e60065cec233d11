"""Plain records the application passes through its ports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID


class OperationOutcome(StrEnum):
    """Where one FMS call stands in the audit log."""

    PENDING = "pending"
    SUCCESS = "success"
    REFUSED = "refused"  # FMS answered and did not act
    AMBIGUOUS = "ambiguous"
    NOT_SENT = "not_sent"  # the call never reached FMS (not sent, or the connection failed)


@dataclass
class FmsOperation:
    """One FMS call (create or delete) as written to the audit log: intent first, outcome after."""

    operation_id: UUID
    assignment_id: int
    call: str  # "create" | "delete"
    purpose: str  # "create" | "unrequest" | "delete"
    actor: str
    started_at: datetime
    requestor_id: int | None = None
    payload_summary: str | None = None
    outcome: OperationOutcome = OperationOutcome.PENDING
    finished_at: datetime | None = None
    status_code: int | None = None
    fms_request_id: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class OperationQuery:
    """Filters of the audit log."""

    assignment_id: int | None = None
    actor: str | None = None
    outcome: OperationOutcome | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 200


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in person, or the system."""

    name: str
    fms_user_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)


SYSTEM_ACTOR = Actor(name="system")


@dataclass(frozen=True)
class Office:
    """An office of the press fleet."""

    name: str
    active: bool = True


@dataclass(frozen=True)
class ApprovedMake:
    """A partner's approval (rank) for one make."""

    person_id: int
    name: str
    make: str
    rank: str


@dataclass(frozen=True)
class RequestSettings:
    """Configuration that shapes FMS requests."""

    default_requestor_id: int | None
    activity_type_id: int = 1


@dataclass(frozen=True)
class Window:
    """An inclusive calendar window with optional filters."""

    start: date
    end: date
    office: str | None = None
    vin: str | None = None
    person_id: int | None = None


@dataclass(frozen=True)
class BookingLimits:
    """How much one save may create: slots per chain or schedule (CHAIN_MAX_SLOTS), days per loan
    (LOAN_MAX_DAYS)."""

    max_slots: int = 200
    loan_max_days: int = 120


@dataclass(frozen=True)
class AssignmentEvent:
    """A change the sync (or an event FMS pushed) made to an assignment, with its reason."""

    assignment_id: int
    at: datetime
    kind: str  # activated | completed | rejected | cancelled
    from_status: str
    to_status: str
    reason: str
    activity_id: int | None = None
    run_id: int | None = None
