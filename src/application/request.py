"""Use-case: Request a green assignment in FMS (create a vehicle request)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from application.bookings import vehicle_bookings
from application.errors import AssignmentNotFound
from application.fms_outcome import outcome_of, problem_for
from application.ports import Clock, FmsCallError, FmsGateway, UnitOfWork, UnitOfWorkFactory
from application.records import Actor, FmsOperation, OperationOutcome, RequestSettings
from domain.assignment import Assignment
from domain.errors import Booking
from domain.fms_request import VehicleRequest, build_vehicle_request
from domain.request_rules import check_request_rules


@dataclass(frozen=True)
class RequestResult:
    """What a Request did."""

    assignment: Assignment
    old_status: str
    created_in_fms: bool


async def load_live(uow: UnitOfWork, assignment_id: int, *, for_update: bool = True) -> Assignment:
    """The live assignment with this id, locked; AssignmentNotFound when unknown or removed."""
    assignment = await uow.assignments.get(assignment_id, for_update=for_update)
    if assignment is None or assignment.removed:
        raise AssignmentNotFound(assignment_id)
    return assignment


async def other_bookings(uow: UnitOfWork, assignment: Assignment) -> list[Booking]:
    """Every other booking of the vehicle around the assignment's days: assignments and FMS activities."""
    return await vehicle_bookings(
        uow,
        assignment.vin,
        assignment.start_day,
        assignment.end_day,
        exclude_assignment_id=assignment.assignment_id,
        own_activity_id=assignment.activity_id,
    )


async def _record_intent(
    uow_factory: UnitOfWorkFactory,
    assignment_id: int,
    *,
    actor: Actor,
    settings: RequestSettings,
    clock: Clock,
    operation_id: UUID,
) -> tuple[Assignment, str, VehicleRequest | None]:
    async with uow_factory() as uow:
        # Locks in one order everywhere: the vehicle, then the assignment row (chain and schedule saves
        # lock vehicles, then touch rows). A VIN never changes, so an unlocked read can name it.
        await uow.assignments.lock_vehicles([(await load_live(uow, assignment_id, for_update=False)).vin])
        assignment = await load_live(uow, assignment_id)
        old_status = assignment.status.value
        if not assignment.begin_request(operation_id):
            return assignment, old_status, None
        vehicle, partner, requestor_id = check_request_rules(
            assignment,
            vehicle=await uow.reference.vehicle(assignment.vin),
            partner=await uow.reference.partner(assignment.person_id, assignment.office),
            requestor_id=actor.fms_user_id or settings.default_requestor_id,
            other_bookings=await other_bookings(uow, assignment),
        )
        request = build_vehicle_request(
            assignment,
            vehicle=vehicle,
            partner=partner,
            requestor_id=requestor_id,
            activity_type_id=settings.activity_type_id,
            operation_id=operation_id,
        )
        await uow.operations.record_intent(
            FmsOperation(
                operation_id=operation_id,
                assignment_id=assignment_id,
                call="create",
                purpose="create",
                actor=actor.name,
                started_at=clock.now(),
                requestor_id=requestor_id,
                payload_summary=(
                    f"vehicle_id={request.vehicle_id} vin={assignment.vin} loanee_id={request.loanee_id} "
                    f"{request.start_date.isoformat()}..{request.end_date.isoformat()}"
                ),
            )
        )
        await uow.assignments.update(assignment)
        return assignment, old_status, request


async def request_assignment(
    assignment_id: int,
    *,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    fms: FmsGateway,
    clock: Clock,
    settings: RequestSettings,
) -> RequestResult:
    """Request one assignment: intent committed, FMS called outside the transaction, outcome committed."""
    operation_id = uuid4()
    assignment, old_status, request = await _record_intent(
        uow_factory, assignment_id, actor=actor, settings=settings, clock=clock, operation_id=operation_id
    )
    if request is None:
        return RequestResult(assignment, old_status, created_in_fms=False)
    try:
        answer = await fms.create_request(request)
    except FmsCallError as error:
        async with uow_factory() as uow:
            assignment = await load_live(uow, assignment_id)
            outcome = outcome_of(error)
            if outcome is OperationOutcome.REFUSED:
                assignment.request_refused(operation_id, error.message)
            else:
                assignment.request_outcome_unknown(operation_id, error.message)
            await uow.operations.record_outcome(
                operation_id,
                outcome=outcome,
                finished_at=clock.now(),
                status_code=error.status_code,
                error=error.message,
            )
            await uow.assignments.update(assignment)
        raise problem_for(
            error,
            assignment_id=assignment_id,
            fms_state=assignment.fms_state.value,
            action="create the vehicle request",
        ) from error
    async with uow_factory() as uow:
        assignment = await load_live(uow, assignment_id)
        assert answer.fms_request_id is not None  # a create without an id is FmsAmbiguous
        assignment.request_accepted(operation_id, answer.fms_request_id)
        await uow.operations.record_outcome(
            operation_id,
            outcome=OperationOutcome.SUCCESS,
            finished_at=clock.now(),
            fms_request_id=answer.fms_request_id,
            status_code=answer.status_code,
        )
        await uow.assignments.update(assignment)
    return RequestResult(assignment, old_status, created_in_fms=True)
