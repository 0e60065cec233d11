"""Routes: assignment status and FMS (single-assignment rows of the HTTP API)."""

from __future__ import annotations

import structlog
from litestar import Router, delete, get, patch, post
from litestar.params import FromPath, FromQuery

from application.change_status import change_status
from application.errors import AssignmentNotFound, InvalidInput
from application.fms_delete import delete_assignment
from application.request import request_assignment
from domain.values import SETTABLE_STATUSES, Status
from entrypoints.http.auth import admin_only
from entrypoints.http.dependencies import (
    ActorDep,
    FmsDescriptionDep,
    PortsDep,
    RequestSettingsDep,
)
from entrypoints.http.openapi_errors import FMS_ERRORS, error_responses
from entrypoints.http.schemas import CreateRequestResponse, DeleteResponse, StatusChangeResponse
from entrypoints.wiring.fms import FmsDescription

log = structlog.get_logger("media_scheduler.http")
MAX_ID = 2_147_483_647


def checked_id(assignment_id: int) -> int:
    """Ids outside the stored range cannot exist: answer 404 rather than hit the database."""
    if not 0 < assignment_id <= MAX_ID:
        raise AssignmentNotFound(assignment_id)
    structlog.contextvars.bind_contextvars(assignment_id=assignment_id)
    return assignment_id


@patch(
    "/api/calendar/change-assignment-status/{assignment_id:int}",
    status_code=200,
    responses=error_responses(400, *FMS_ERRORS),
)
async def change_assignment_status(
    assignment_id: FromPath[int],
    new_status: FromQuery[str],
    actor: ActorDep,
    ports: PortsDep,
    request_settings: RequestSettingsDep,
) -> StatusChangeResponse:
    """Set planned, manual or requested; requesting creates the FMS request, leaving requested deletes it."""
    wanted = new_status.strip().lower()
    if wanted not in SETTABLE_STATUSES:
        raise InvalidInput(f"new_status must be one of {', '.join(SETTABLE_STATUSES)}, got {new_status!r}")
    change = await change_status(
        checked_id(assignment_id),
        Status(wanted),
        actor=actor,
        ports=ports,
        settings=request_settings,
    )
    a = change.assignment
    messages = {
        "create": "vehicle request created in FMS",
        "delete": "vehicle request deleted from FMS",
        "none": f"status is {a.status}",
    }
    log.info("status changed", old=change.old_status, new=a.status.value, fms_action=change.fms_action)
    return StatusChangeResponse(
        success=True,
        message=messages[change.fms_action],
        assignment_id=assignment_id,
        old_status=change.old_status,
        new_status=a.status.value,
        fms_action=change.fms_action,
        fms_request_id=a.fms_request_id,
        fms_state=a.fms_state.value,
    )


@post(
    "/api/fms/create-vehicle-request/{assignment_id:int}",
    status_code=200,
    responses=error_responses(*FMS_ERRORS),
)
async def create_vehicle_request(
    assignment_id: FromPath[int],
    actor: ActorDep,
    ports: PortsDep,
    request_settings: RequestSettingsDep,
) -> CreateRequestResponse:
    """Request one assignment in FMS (idempotent when it is already requested)."""
    result = await request_assignment(
        checked_id(assignment_id),
        actor=actor,
        ports=ports,
        settings=request_settings,
    )
    a = result.assignment
    message = "vehicle request created in FMS" if result.created_in_fms else "already requested"
    return CreateRequestResponse(
        success=True,
        message=message,
        assignment_id=assignment_id,
        fms_request_id=a.fms_request_id,
        fms_state=a.fms_state.value,
        status=a.status.value,
    )


async def _delete(
    assignment_id: FromPath[int],
    actor: ActorDep,
    ports: PortsDep,
) -> DeleteResponse:
    result = await delete_assignment(checked_id(assignment_id), actor=actor, ports=ports)
    message = (
        "assignment removed and its FMS request deleted"
        if result.deleted_from_fms
        else "assignment removed (it had no FMS request)"
    )
    return DeleteResponse(
        success=True, message=message, assignment_id=assignment_id, deleted_from_fms=result.deleted_from_fms
    )


@delete(
    "/api/fms/delete-vehicle-request/{assignment_id:int}",
    status_code=200,
    responses=error_responses(*FMS_ERRORS),
)
async def delete_vehicle_request(
    assignment_id: FromPath[int],
    actor: ActorDep,
    ports: PortsDep,
) -> DeleteResponse:
    """Remove the assignment; a requested one is deleted in FMS first."""
    return await _delete(assignment_id, actor, ports)


@delete(
    "/api/calendar/delete-assignment/{assignment_id:int}",
    status_code=200,
    responses=error_responses(*FMS_ERRORS),
)
async def delete_calendar_assignment(
    assignment_id: FromPath[int],
    actor: ActorDep,
    ports: PortsDep,
) -> DeleteResponse:
    """Remove the assignment by the same rules (no route skips FMS)."""
    return await _delete(assignment_id, actor, ports)


@get("/api/fms/config", guards=[admin_only])
async def fms_config(fms_description: FmsDescriptionDep) -> FmsDescription:
    """Which FMS this service talks to (never the token, nor its length)."""
    return fms_description


assignment_router = Router(
    path="/",
    route_handlers=[
        change_assignment_status,
        create_vehicle_request,
        delete_vehicle_request,
        delete_calendar_assignment,
        fms_config,
    ],
    tags=["Assignment status and FMS"],
)
