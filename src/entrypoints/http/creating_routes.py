"""Routes: creating assignments (one manual booking, chains, a week's schedule)."""

from __future__ import annotations

from litestar import Router, post
from litestar.params import JSONBody

from application.create_assignments import Slot, check_size, save_slots, save_week_schedule
from application.errors import InvalidInput
from application.ports import UnitOfWorkFactory
from application.records import Actor, BookingLimits
from domain.assignment import Assignment
from domain.loan_dates import loan_end
from domain.values import Status
from entrypoints.http.dependencies import ActorDep, LimitsDep, UowDep
from entrypoints.http.openapi_errors import CREATE_ERRORS, error_responses
from entrypoints.http.schemas import (
    AssignmentOut,
    SaveChainBody,
    SaveChainResponse,
    SaveScheduleBody,
    SaveScheduleResponse,
    SaveVehicleChainBody,
    ScheduleAssignmentBody,
    ScheduleAssignmentResponse,
)


def assignment_out(a: Assignment) -> AssignmentOut:
    """The assignment as the frontend reads it."""
    assert a.assignment_id is not None
    return AssignmentOut(
        assignment_id=a.assignment_id,
        vin=a.vin,
        person_id=a.person_id,
        start_day=a.start_day,
        end_day=a.end_day,
        office=a.office,
        status=a.status.value,
        fms_state=a.fms_state.value,
        fms_request_id=a.fms_request_id,
        activity_id=a.activity_id,
        partner_name=a.partner_name,
        make=a.make,
        model=a.model,
        last_error=a.last_error,
    )


def chain_status(status: str | None) -> tuple[Status, str]:
    """A chain is saved manual, or planned when asked; 'requested' saves manual for a bulk request."""
    wanted = (status or "manual").strip().lower()
    if wanted in ("manual", "requested"):
        return Status.MANUAL, wanted
    if wanted == "planned":
        return Status.PLANNED, wanted
    raise InvalidInput(f"status must be manual, planned or requested, got {status!r}")


@post("/api/calendar/schedule-assignment", status_code=201, responses=error_responses(*CREATE_ERRORS))
async def schedule_assignment(
    data: JSONBody[ScheduleAssignmentBody], actor: ActorDep, uow_factory: UowDep, booking_limits: LimitsDep
) -> ScheduleAssignmentResponse:
    """Create one manual assignment (end defaults to start + 7 days); 409 when it overlaps a booking."""
    slot = Slot(
        vin=data.vin,
        person_id=data.person_id,
        start_day=data.start_day,
        end_day=loan_end(data.start_day, data.end_day),
        office=data.office,
        partner_name=data.partner_name,
        make=data.make,
        model=data.model,
    )
    [saved] = await save_slots(
        [slot], status=Status.MANUAL, actor=actor, uow_factory=uow_factory, limits=booking_limits
    )
    return ScheduleAssignmentResponse(
        success=True, message="manual assignment created", assignment=assignment_out(saved)
    )


def _ids(saved: list[Assignment]) -> list[int]:
    return [a.assignment_id for a in saved if a.assignment_id is not None]


async def _save_chain(
    slots: list[Slot],
    status_asked: str | None,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    limits: BookingLimits,
) -> SaveChainResponse:
    status, asked = chain_status(status_asked)
    saved = await save_slots(slots, status=status, actor=actor, uow_factory=uow_factory, limits=limits)
    note = "; request them with bulk-create" if asked == "requested" else ""
    return SaveChainResponse(
        success=True,
        message=f"{len(saved)} assignments saved as {status}{note}",
        assignments_saved=len(saved),
        assignment_ids=_ids(saved),
    )


@post("/api/chain-builder/save-chain", status_code=200, responses=error_responses(*CREATE_ERRORS))
async def save_chain(
    data: JSONBody[SaveChainBody], actor: ActorDep, uow_factory: UowDep, booking_limits: LimitsDep
) -> SaveChainResponse:
    """Save a partner's chain of vehicles, all or nothing."""
    check_size(len(data.chain), booking_limits)
    slots = [
        Slot(
            vin=s.vin,
            person_id=data.person_id,
            start_day=s.start_date,
            end_day=s.end_date,
            office=data.office,
            partner_name=data.partner_name,
            make=s.make,
            model=s.model,
            score=s.score,
        )
        for s in data.chain
    ]
    return await _save_chain(slots, data.status, actor, uow_factory, booking_limits)


@post("/api/chain-builder/save-vehicle-chain", status_code=200, responses=error_responses(*CREATE_ERRORS))
async def save_vehicle_chain(
    data: JSONBody[SaveVehicleChainBody], actor: ActorDep, uow_factory: UowDep, booking_limits: LimitsDep
) -> SaveChainResponse:
    """Save a vehicle's chain of partners, all or nothing."""
    check_size(len(data.chain), booking_limits)
    slots = [
        Slot(
            vin=data.vin,
            person_id=s.person_id,
            start_day=s.start_date,
            end_day=s.end_date,
            office=data.office,
            partner_name=s.partner_name,
            make=data.vehicle_make,
            model=data.vehicle_model,
            score=s.score,
        )
        for s in data.chain
    ]
    return await _save_chain(slots, data.status, actor, uow_factory, booking_limits)


@post("/api/calendar/save-schedule", status_code=200, responses=error_responses(*CREATE_ERRORS))
async def save_schedule(
    data: JSONBody[SaveScheduleBody], actor: ActorDep, uow_factory: UowDep, booking_limits: LimitsDep
) -> SaveScheduleResponse:
    """Replace the office's planned assignments of that week (manual and requested ones stay)."""
    check_size(len(data.assignments), booking_limits)
    slots = [
        Slot(
            vin=s.vin,
            person_id=s.person_id,
            start_day=s.start_day,
            end_day=loan_end(s.start_day, s.end_day, start_field=f"assignment {i + 1}: start_day"),
            office=data.office,
            partner_name=s.partner_name,
            make=s.make,
            model=s.model,
            score=s.score,
        )
        for i, s in enumerate(data.assignments)
    ]
    saved, replaced = await save_week_schedule(
        data.office, data.week_start, slots, actor=actor, uow_factory=uow_factory, limits=booking_limits
    )
    return SaveScheduleResponse(
        success=True,
        message=f"{len(saved)} planned assignments saved",
        assignments_saved=len(saved),
        assignments_replaced=replaced,
        assignment_ids=_ids(saved),
    )


creating_router = Router(
    path="/",
    route_handlers=[schedule_assignment, save_chain, save_vehicle_chain, save_schedule],
    tags=["Creating assignments"],
)
