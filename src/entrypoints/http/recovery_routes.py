"""Routes: an assignment's FMS history, what needs attention, hand resolution, and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from litestar import Router, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from application.errors import InvalidInput
from application.records import FmsOperation, OperationOutcome, OperationQuery
from application.resolve import (
    AssignmentHistory,
    assignment_history,
    needing_attention,
    operations,
    resolve_operation,
)
from domain.assignment import Assignment
from domain.loan_dates import fms_moment
from domain.values import Resolution
from entrypoints.http.assignment_routes import checked_id
from entrypoints.http.auth import admin_only
from entrypoints.http.creating_routes import assignment_out
from entrypoints.http.dependencies import ActorDep, ClockDep, FinderDep, UowDep
from entrypoints.http.openapi_errors import error_responses
from entrypoints.http.recovery_schemas import (
    AssignmentDetail,
    AttentionResponse,
    OperationOut,
    OperationsResponse,
    ResolveBody,
)


def operation_out(o: FmsOperation) -> OperationOut:
    """An audit row as the API shows it."""
    return OperationOut(
        operation_id=o.operation_id,
        assignment_id=o.assignment_id,
        call=o.call,
        purpose=o.purpose,
        actor=o.actor,
        outcome=o.outcome.value,
        started_at=o.started_at,
        finished_at=o.finished_at,
        status_code=o.status_code,
        fms_request_id=o.fms_request_id,
        requestor_id=o.requestor_id,
        payload_summary=o.payload_summary,
        error=o.error,
    )


def detail(
    a: Assignment,
    ops: list[FmsOperation],
    *,
    call_under_way: bool = False,
    fms_may_act_until: datetime | None = None,
) -> AssignmentDetail:
    """An assignment with its pending operation (whether a live process holds it, until when FMS may
    still act on it) and history."""
    return AssignmentDetail(
        assignment=assignment_out(a),
        pending_operation_id=a.pending.operation_id if a.pending else None,
        pending_kind=a.pending.kind.value if a.pending else None,
        operations=[operation_out(o) for o in ops],
        call_under_way=call_under_way,
        fms_may_act_until=fms_may_act_until,
    )


def detail_of(history: AssignmentHistory) -> AssignmentDetail:
    """detail() of a use-case's AssignmentHistory."""
    return detail(
        history.assignment,
        history.operations,
        call_under_way=history.call_under_way,
        fms_may_act_until=history.fms_may_act_until,
    )


@get("/api/assignments/{assignment_id:int}", responses=error_responses(404))
async def get_assignment(
    assignment_id: FromPath[int], uow_factory: UowDep, clock: ClockDep
) -> AssignmentDetail:
    """An assignment with fms_state, last_error and every FMS operation made for it."""
    history = await assignment_history(checked_id(assignment_id), uow_factory=uow_factory, clock=clock)
    return detail_of(history)


@get("/api/fms/attention")
async def attention(uow_factory: UowDep, clock: ClockDep) -> AttentionResponse:
    """Assignments whose FMS operation is in flight or unknown, oldest first, with their history;
    `call_under_way` marks those a live process holds (not to be resolved by hand yet), and
    `fms_may_act_until` the end of the quiet time after an unclear answer (no not_sent or still_open
    before it)."""
    waiting = await needing_attention(uow_factory=uow_factory, clock=clock)
    out = [detail_of(h) for h in waiting]
    return AttentionResponse(count=len(out), assignments=out)


@post(
    "/api/fms/resolve/{assignment_id:int}",
    status_code=200,
    responses=error_responses(400, 404, 409, 422),
    guards=[admin_only],
)
async def resolve(
    assignment_id: FromPath[int],
    data: JSONBody[ResolveBody],
    actor: ActorDep,
    uow_factory: UowDep,
    clock: ClockDep,
    fms_finder: FinderDep,
) -> AssignmentDetail:
    """Settle an operation by hand: link to an FMS request id, not_sent, deleted or still_open (audited).
    409 while a call is under way, for not_sent or still_open while FMS may still act (the body's
    `fms_may_act_until`), and for not_sent when FMS (asked by reference) holds the request."""
    try:
        resolution = Resolution(data.resolution.strip().lower())
    except ValueError as exc:
        choices = ", ".join(r.value for r in Resolution)
        raise InvalidInput(f"resolution must be one of {choices}, got {data.resolution!r}") from exc
    settled = await resolve_operation(
        checked_id(assignment_id),
        resolution,
        fms_request_id=data.fms_request_id,
        actor=actor,
        uow_factory=uow_factory,
        clock=clock,
        finder=fms_finder,
    )
    return detail(settled.assignment, settled.operations)


def _aware(moment: datetime | None, field: str) -> datetime | None:
    """A time inside the service's date window (loan_dates.py); one without a zone is taken as UTC."""
    if moment is None:
        return None
    fms_moment(moment, field)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@get("/api/fms/operations", responses=error_responses(400, 422))
async def list_operations(
    uow_factory: UowDep,
    assignment_id: Annotated[int | None, QueryParameter(ge=1, le=2**63 - 1)] = None,
    actor_name: Annotated[str | None, QueryParameter(name="actor", max_length=200)] = None,
    outcome: FromQuery[str | None] = None,
    since: FromQuery[datetime | None] = None,
    until: FromQuery[datetime | None] = None,
    limit: Annotated[int, QueryParameter(ge=1, le=5000)] = 200,
) -> OperationsResponse:
    """The FMS audit log, newest first, filtered by assignment, actor, outcome and time."""
    try:
        wanted = OperationOutcome(outcome) if outcome else None
    except ValueError as exc:
        choices = ", ".join(o.value for o in OperationOutcome)
        raise InvalidInput(f"outcome must be one of {choices}, got {outcome!r}") from exc
    since, until = _aware(since, "since"), _aware(until, "until")
    if since and until and until < since:
        raise InvalidInput("until is before since")
    query = OperationQuery(
        assignment_id=assignment_id, actor=actor_name, outcome=wanted, since=since, until=until, limit=limit
    )
    found = await operations(query, uow_factory=uow_factory)
    return OperationsResponse(count=len(found), operations=[operation_out(o) for o in found])


recovery_router = Router(
    path="/", route_handlers=[get_assignment, attention, resolve, list_operations], tags=["FMS operations"]
)
