"""Bodies of the routes that show and settle FMS operations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from entrypoints.http.schemas import AssignmentOut


class OperationOut(msgspec.Struct):
    """One FMS call (or a person's resolution) from the audit log."""

    operation_id: UUID
    assignment_id: int
    call: str
    purpose: str
    actor: str
    outcome: str
    started_at: datetime
    finished_at: datetime | None
    status_code: int | None
    fms_request_id: int | None
    requestor_id: int | None
    payload_summary: str | None
    error: str | None


class AssignmentDetail(msgspec.Struct):
    """An assignment with its FMS state, last error and operation history."""

    assignment: AssignmentOut
    pending_operation_id: UUID | None
    pending_kind: str | None
    operations: list[OperationOut]
    call_under_way: bool = False  # a live process holds the pending operation: resolving answers 409
    # The end of the quiet time after an unclear answer, while it lasts: FMS may still act until then,
    # so resolving as not_sent or still_open answers 409.
    fms_may_act_until: datetime | None = None


class AttentionResponse(msgspec.Struct):
    """Assignments waiting on an FMS operation that machines have not settled."""

    count: int
    assignments: list[AssignmentDetail]


class OperationsResponse(msgspec.Struct):
    """GET /api/fms/operations."""

    count: int
    operations: list[OperationOut]


class ResolveBody(msgspec.Struct):
    """How a person settles an operation: link (with fms_request_id), not_sent, deleted or still_open."""

    resolution: str
    fms_request_id: Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)] | None = None
