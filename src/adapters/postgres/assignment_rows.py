"""How an Assignment maps to a row of the assignments table, and back."""

from __future__ import annotations

from uuid import UUID

from adapters.postgres.db import Record, Row
from domain.assignment import Assignment, PendingOperation
from domain.errors import Booking
from domain.values import FmsState, PendingKind, Status

# Every stored column an Assignment carries, in the order of the values of assignment_values().
ASSIGNMENT_COLUMNS = (
    "vin",
    "person_id",
    "office",
    "start_day",
    "end_day",
    "status",
    "partner_name",
    "make",
    "model",
    "score",
    "fms_state",
    "fms_request_id",
    "activity_id",
    "status_before_request",
    "pending_operation_id",
    "pending_kind",
    "pending_target_status",
    "pending_held_by",
    "pending_quiet_until",
    "last_error",
    "removed",
    "created_by",
)

SELECT_ASSIGNMENTS = f"SELECT id, version, {', '.join(ASSIGNMENT_COLUMNS)} FROM assignments"


def assignment_values(a: Assignment) -> tuple[object, ...]:
    """The values of ASSIGNMENT_COLUMNS for an assignment (enums as their text)."""
    pending = a.pending
    return (
        a.vin,
        a.person_id,
        a.office,
        a.start_day,
        a.end_day,
        a.status.value,
        a.partner_name,
        a.make,
        a.model,
        a.score,
        a.fms_state.value,
        a.fms_request_id,
        a.activity_id,
        a.status_before_request.value if a.status_before_request else None,
        pending.operation_id if pending else None,
        pending.kind.value if pending else None,
        pending.target_status.value if pending and pending.target_status else None,
        pending.held_by if pending else None,
        pending.quiet_until if pending else None,
        a.last_error,
        a.removed,
        a.created_by,
    )


def assignment_from_row(row: Record) -> Assignment:
    """Rebuild the aggregate from its row."""
    pending = None
    if row["pending_operation_id"] is not None:
        target = row["pending_target_status"]
        pending = PendingOperation(
            operation_id=UUID(int=row["pending_operation_id"].int),  # a plain UUID, not asyncpg's
            kind=PendingKind(row["pending_kind"]),
            target_status=Status(target) if target else None,
            held_by=UUID(int=row["pending_held_by"].int) if row["pending_held_by"] else None,
            quiet_until=row["pending_quiet_until"],
        )
    before = row["status_before_request"]
    return Assignment(
        vin=row["vin"],
        person_id=row["person_id"],
        office=row["office"],
        start_day=row["start_day"],
        end_day=row["end_day"],
        status=Status(row["status"]),
        assignment_id=row["id"],
        partner_name=row["partner_name"],
        make=row["make"],
        model=row["model"],
        score=row["score"],
        fms_state=FmsState(row["fms_state"]),
        fms_request_id=row["fms_request_id"],
        activity_id=row["activity_id"],
        status_before_request=Status(before) if before else None,
        pending=pending,
        last_error=row["last_error"],
        removed=row["removed"],
        version=row["version"],
        created_by=row["created_by"],
    )


def booking_from_row(row: Row) -> Booking:
    """How a stored assignment shows when it blocks its vehicle (same wording as the memory adapter)."""
    return Booking(
        vin=row["vin"],
        start_day=row["start_day"],
        end_day=row["end_day"],
        holder=f"assignment {row['id']} ({row['partner_name'] or row['person_id']}, {row['status']})",
        assignment_id=row["id"],
        activity_id=row["activity_id"],
        person_id=row["person_id"],
        status=row["status"],
    )
