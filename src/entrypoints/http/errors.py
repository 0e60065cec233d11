"""The one place where errors become HTTP answers (Litestar exception_handlers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException

from application.errors import (
    AssignmentNotFound,
    BatchTooLarge,
    ChainTooLarge,
    FmsCredentialsRejected,
    FmsOutcomeUnknown,
    FmsProblem,
    FmsRejected,
    FmsUnavailable,
    InvalidInput,
    OutcomeNotRecorded,
    SyncAlreadyRunning,
)
from application.fms_webhook import FmsEventConflict, FmsEventDeferred
from application.port_errors import (
    ConcurrentUpdate,
    ConflictingWrite,
    StorageRefusedValue,
    StorageUnavailable,
)
from domain.errors import (
    BookingConflict,
    DomainError,
    FmsMayStillAct,
    InvalidTransition,
    RequestRuleViolation,
    VehicleNotInOffice,
    VehicleNotRequestable,
)
from entrypoints.http.json_depth import JsonTooDeep

log = structlog.get_logger("media_scheduler.http")

Handler = Callable[[Request[Any, Any, Any], Exception], Response[Any]]


def error_response(status_code: int, detail: str, **extra: Any) -> Response[dict[str, Any]]:
    """The JSON error body the frontend reads (detail, plus structured extras)."""
    body: dict[str, Any] = {"status_code": status_code, "detail": detail}
    body.update({k: v for k, v in extra.items() if v is not None})
    return Response(body, status_code=status_code, media_type=MediaType.JSON)


def _conflict(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, BookingConflict)
    conflicts = [
        {
            "vin": c.vin,
            "start_date": c.start_day.isoformat(),
            "end_date": c.end_day.isoformat(),
            "held_by": c.holder,
            "assignment_id": c.assignment_id,
            "activity_id": c.activity_id,
            "person_id": c.person_id,
            "status": c.status,
            "fms_start_date": c.fms_start_day.isoformat() if c.fms_start_day else None,
            "fms_end_date": c.fms_end_day.isoformat() if c.fms_end_day else None,
        }
        for c in exc.conflicts
    ]
    return error_response(409, str(exc), conflicts=conflicts, conflict_count=exc.total)


def _fms_problem(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, FmsProblem)
    if isinstance(exc, FmsRejected):
        status = 422
    elif isinstance(exc, FmsCredentialsRejected):
        status = 502
    elif isinstance(exc, FmsUnavailable):
        status = 503
    elif isinstance(exc, FmsOutcomeUnknown):
        status = 504 if exc.status_code is None else 502
    else:
        status = 502
    log.warning(
        "fms call failed",
        assignment_id=exc.assignment_id,
        fms_state=exc.fms_state,
        fms_status=exc.status_code,
        http_status=status,
    )
    return error_response(
        status,
        str(exc),
        assignment_id=exc.assignment_id,
        fms_state=exc.fms_state,
        fms_status_code=exc.status_code,
        may_have_reached_fms=isinstance(exc, FmsOutcomeUnknown),
    )


def _simple(status: int) -> Handler:
    def handle(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        extra: dict[str, Any] = {}
        if isinstance(exc, VehicleNotRequestable | VehicleNotInOffice):
            extra["vin"] = exc.vin
        if isinstance(exc, AssignmentNotFound):
            extra["assignment_id"] = exc.assignment_id
        if isinstance(exc, SyncAlreadyRunning):
            extra["run_id"] = exc.run_id
        if isinstance(exc, FmsMayStillAct):
            extra["fms_may_act_until"] = exc.until.isoformat()
        return error_response(status, str(exc), **extra)

    return handle


def _validation(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, ValidationException)
    return error_response(400, str(exc.detail), errors=exc.extra or None)


def _http(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, HTTPException)
    response = error_response(exc.status_code, str(exc.detail))
    response.headers.update(exc.headers or {})  # WWW-Authenticate on 401, Retry-After on 429, Allow on 405
    return response


def _storage(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("storage unavailable", error=str(exc))
    return error_response(503, "the database is unavailable; try again shortly")


def _outcome_not_recorded(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("fms outcome not recorded", error=str(exc))
    return error_response(503, str(exc), may_have_reached_fms=True)


def _refused_value(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.info("value refused by the database", error=str(exc))
    return error_response(422, f"a value of the request cannot be stored or searched for: {exc}")


def _event_conflict(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.warning("fms event id reused with another body", error=str(exc))
    return error_response(409, str(exc), reason="event_id_reused")


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error", path=request.url.path)
    return error_response(500, "internal error; it has been logged")


EXCEPTION_HANDLERS: dict[type[Exception] | int, Handler] = {
    ValidationException: _validation,
    HTTPException: _http,
    JsonTooDeep: _simple(400),
    AssignmentNotFound: _simple(404),
    InvalidInput: _simple(422),
    BatchTooLarge: _simple(413),
    ChainTooLarge: _simple(413),
    BookingConflict: _conflict,
    RequestRuleViolation: _simple(422),
    InvalidTransition: _simple(409),
    FmsEventDeferred: _simple(409),
    SyncAlreadyRunning: _simple(409),
    FmsEventConflict: _event_conflict,
    DomainError: _simple(409),
    ConcurrentUpdate: _simple(409),
    ConflictingWrite: _simple(409),
    OutcomeNotRecorded: _outcome_not_recorded,
    FmsProblem: _fms_problem,
    StorageUnavailable: _storage,
    StorageRefusedValue: _refused_value,
    Exception: _unexpected,
}
