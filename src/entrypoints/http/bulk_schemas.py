"""Bodies of the bulk endpoints: ids in; one result per item out, as one JSON answer or NDJSON lines."""

from __future__ import annotations

import msgspec

from application.bulk import BulkReport, ItemResult
from application.errors import (
    AssignmentNotFound,
    FmsCredentialsRejected,
    FmsOutcomeUnknown,
    FmsRejected,
    FmsUnavailable,
    OutcomeNotRecorded,
)
from domain.errors import (
    BookingConflict,
    FmsLockedStatus,
    InvalidTransition,
    OperationInProgress,
    RequestRuleViolation,
    VehicleNotRequestable,
)
from entrypoints.http.error_schemas import ConflictItem


class BulkBody(msgspec.Struct):
    """The assignments to act on (a bare JSON array of ids is accepted too; unknown fields are ignored)."""

    assignment_ids: list[int]


BulkInput = BulkBody | list[int]


class BulkItemOut(msgspec.Struct, omit_defaults=True):
    """How one assignment fared; fms_state and status are its state afterwards (null when unknown)."""

    assignment_id: int
    success: bool
    error: str | None
    error_code: str | None
    fms_request_id: int | None
    created_in_fms: bool
    deleted_from_fms: bool
    fms_state: str | None
    status: str | None
    removed: bool
    conflicts: list[ConflictItem] | None = None  # only for error_code booking_conflict; at most 50
    conflict_count: int | None = None  # every clash of a booking_conflict, listed or not


class BulkResponse(msgspec.Struct):
    """Answer of a bulk endpoint: one result per distinct id, in order of first appearance."""

    total: int
    succeeded: int
    failed: int
    results: list[BulkItemOut]


class StartedLine(msgspec.Struct, tag_field="event", tag="started"):
    """First NDJSON line: how many items will follow."""

    action: str
    total: int


class ItemLine(BulkItemOut, kw_only=True, tag_field="event", tag="item"):
    """One NDJSON line per item as it finishes; index is its position among the distinct ids."""

    index: int


class SummaryLine(msgspec.Struct, tag_field="event", tag="summary"):
    """Last NDJSON line: the counts."""

    total: int
    succeeded: int
    failed: int


# Most specific first: the first class an error is an instance of gives its code.
_ERROR_CODES: tuple[tuple[type[Exception], str], ...] = (
    (AssignmentNotFound, "not_found"),
    (BookingConflict, "booking_conflict"),
    (VehicleNotRequestable, "vehicle_not_requestable"),
    (RequestRuleViolation, "request_rule_violated"),
    (FmsLockedStatus, "owned_by_fms"),
    (OperationInProgress, "fms_operation_in_progress"),
    (InvalidTransition, "invalid_transition"),
    (FmsCredentialsRejected, "fms_credentials_rejected"),
    (FmsRejected, "fms_rejected"),
    (FmsUnavailable, "fms_unavailable"),
    (FmsOutcomeUnknown, "fms_outcome_unknown"),
    (OutcomeNotRecorded, "outcome_not_recorded"),
)


def error_code(error: Exception | None) -> str | None:
    """A stable code for the frontend to act on (the message is for people)."""
    if error is None:
        return None
    return next((code for cls, code in _ERROR_CODES if isinstance(error, cls)), "error")


def _conflicts(error: Exception | None) -> list[ConflictItem] | None:
    if not isinstance(error, BookingConflict):
        return None
    return [
        ConflictItem(
            vin=c.vin,
            start_date=c.start_day,
            end_date=c.end_day,
            held_by=c.holder,
            assignment_id=c.assignment_id,
            activity_id=c.activity_id,
            person_id=c.person_id,
            status=c.status,
            fms_start_date=c.fms_start_day,
            fms_end_date=c.fms_end_day,
        )
        for c in error.conflicts
    ]


def item_out(r: ItemResult) -> BulkItemOut:
    """One result as the JSON answer lists it."""
    a = r.assignment
    return BulkItemOut(
        assignment_id=r.assignment_id,
        success=r.success,
        error=str(r.error) if r.error is not None else None,
        error_code=error_code(r.error),
        fms_request_id=a.fms_request_id if a else None,
        created_in_fms=r.created_in_fms,
        deleted_from_fms=r.deleted_from_fms,
        fms_state=a.fms_state.value if a else None,
        status=a.status.value if a else None,
        removed=a.removed if a else False,
        conflicts=_conflicts(r.error),
        conflict_count=r.error.total if isinstance(r.error, BookingConflict) else None,
    )


def item_line(r: ItemResult) -> ItemLine:
    """One result as an NDJSON progress line."""
    return ItemLine(index=r.index, **msgspec.structs.asdict(item_out(r)))


def bulk_response(report: BulkReport) -> BulkResponse:
    """The whole report as one JSON answer."""
    return BulkResponse(
        total=report.total,
        succeeded=report.succeeded,
        failed=report.failed,
        results=[item_out(r) for r in report.results],
    )
