"""Use-cases: Unrequest and Delete, which share the FMS delete protocol."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from application.fms_outcome import outcome_of, problem_for
from application.ports import Clock, FmsCallError, FmsGateway, UnitOfWorkFactory
from application.records import Actor, FmsOperation, OperationOutcome
from application.request import load_live
from domain.assignment import Assignment
from domain.values import PendingKind, Status


@dataclass(frozen=True)
class FmsDeleteResult:
    """What an Unrequest or Delete did."""

    assignment: Assignment
    old_status: str
    deleted_from_fms: bool


async def _call_fms_delete(
    assignment: Assignment,
    *,
    operation_id: UUID,
    purpose: PendingKind,
    uow_factory: UnitOfWorkFactory,
    fms: FmsGateway,
    clock: Clock,
) -> Assignment:
    """Steps 2 and 3 of the protocol for an FMS delete whose intent is already committed."""
    assignment_id = assignment.assignment_id
    fms_request_id = assignment.fms_request_id
    assert assignment_id is not None
    assert fms_request_id is not None
    try:
        answer = await fms.delete_request(fms_request_id)
    except FmsCallError as error:
        async with uow_factory() as uow:
            current = await uow.assignments.get(assignment_id, for_update=True)
            assert current is not None
            outcome = outcome_of(error)
            if outcome is OperationOutcome.REFUSED:
                current.fms_delete_refused(operation_id, error.message)
            else:
                current.fms_delete_outcome_unknown(operation_id, error.message)
            await uow.operations.record_outcome(
                operation_id,
                outcome=outcome,
                finished_at=clock.now(),
                status_code=error.status_code,
                fms_request_id=fms_request_id,
                error=error.message,
            )
            await uow.assignments.update(current)
        verb = "delete the vehicle request" if purpose is PendingKind.DELETE else "unrequest"
        raise problem_for(
            error,
            assignment_id=assignment_id,
            fms_state=current.fms_state.value,
            action=f"{verb} (FMS request {fms_request_id})",
        ) from error
    async with uow_factory() as uow:
        current = await uow.assignments.get(assignment_id, for_update=True)
        assert current is not None
        current.fms_delete_confirmed(operation_id)
        await uow.operations.record_outcome(
            operation_id,
            outcome=OperationOutcome.SUCCESS,
            finished_at=clock.now(),
            status_code=answer.status_code,
            fms_request_id=fms_request_id,
        )
        await uow.assignments.update(current)
    return current


async def _begin(
    assignment_id: int,
    *,
    purpose: PendingKind,
    target: Status | None,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    operation_id: UUID,
) -> tuple[Assignment, str, bool]:
    async with uow_factory() as uow:
        assignment = await load_live(uow, assignment_id)
        old_status = assignment.status.value
        if purpose is PendingKind.DELETE:
            needs_fms = assignment.begin_delete(operation_id)
        else:
            assignment.begin_unrequest(operation_id, target)
            needs_fms = True
        if needs_fms:
            await uow.operations.record_intent(
                FmsOperation(
                    operation_id=operation_id,
                    assignment_id=assignment_id,
                    call="delete",
                    purpose=purpose.value,
                    actor=actor.name,
                    started_at=clock.now(),
                    fms_request_id=assignment.fms_request_id,
                    payload_summary=f"delete FMS request {assignment.fms_request_id} vin={assignment.vin}",
                )
            )
        await uow.assignments.update(assignment)
        return assignment, old_status, needs_fms


async def _run(
    assignment_id: int,
    *,
    purpose: PendingKind,
    target: Status | None,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    fms: FmsGateway,
    clock: Clock,
) -> FmsDeleteResult:
    operation_id = uuid4()
    assignment, old_status, needs_fms = await _begin(
        assignment_id,
        purpose=purpose,
        target=target,
        actor=actor,
        uow_factory=uow_factory,
        clock=clock,
        operation_id=operation_id,
    )
    if not needs_fms:
        return FmsDeleteResult(assignment, old_status, deleted_from_fms=False)
    done = await _call_fms_delete(
        assignment, operation_id=operation_id, purpose=purpose, uow_factory=uow_factory, fms=fms, clock=clock
    )
    return FmsDeleteResult(done, old_status, deleted_from_fms=True)


async def unrequest_assignment(
    assignment_id: int,
    *,
    target_status: Status | None,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    fms: FmsGateway,
    clock: Clock,
) -> FmsDeleteResult:
    """Unrequest: delete the FMS request, then return to the green status asked for (or the earlier one)."""
    return await _run(
        assignment_id,
        purpose=PendingKind.UNREQUEST,
        target=target_status,
        actor=actor,
        uow_factory=uow_factory,
        fms=fms,
        clock=clock,
    )


async def delete_assignment(
    assignment_id: int,
    *,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    fms: FmsGateway,
    clock: Clock,
) -> FmsDeleteResult:
    """Delete: a green assignment is removed at once; a requested one after FMS deletes its request."""
    return await _run(
        assignment_id,
        purpose=PendingKind.DELETE,
        target=None,
        actor=actor,
        uow_factory=uow_factory,
        fms=fms,
        clock=clock,
    )
