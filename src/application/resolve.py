"""Use-cases for people: see what needs attention, an assignment's FMS history, and settle it by hand."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

from application.ports import Clock, UnitOfWorkFactory
from application.records import Actor, FmsOperation, OperationOutcome, OperationQuery
from application.request import load_live
from domain.assignment import Assignment
from domain.values import Resolution


@dataclass(frozen=True)
class AssignmentHistory:
    """An assignment with every FMS operation made for it."""

    assignment: Assignment
    operations: list[FmsOperation]


async def assignment_history(assignment_id: int, *, uow_factory: UnitOfWorkFactory) -> AssignmentHistory:
    """The assignment (fms_state, last_error included) and its operation history, oldest first."""
    async with uow_factory() as uow:
        assignment = await load_live(uow, assignment_id, for_update=False)
        return AssignmentHistory(assignment, await uow.operations.for_assignment(assignment_id))


async def needing_attention(*, uow_factory: UnitOfWorkFactory, limit: int = 500) -> list[AssignmentHistory]:
    """Assignments waiting on an FMS operation (creating, deleting, unknown), oldest operation first,
    each with its operation history: one transaction, so the list and the histories agree."""
    async with uow_factory() as uow:
        waiting = await uow.assignments.in_flight(limit=limit)
        out = []
        for a in waiting:
            assert a.assignment_id is not None
            out.append(AssignmentHistory(a, await uow.operations.for_assignment(a.assignment_id)))
        return out


async def operations(query: OperationQuery, *, uow_factory: UnitOfWorkFactory) -> list[FmsOperation]:
    """The audit log, filtered."""
    async with uow_factory() as uow:
        return await uow.operations.query(query)


async def resolve_operation(
    assignment_id: int,
    resolution: Resolution,
    *,
    fms_request_id: int | None,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
) -> AssignmentHistory:
    """A person settles what machines could not (link an FMS id, not sent, deleted, still open); audited.

    Returns the settled assignment with its history, read in the same transaction.
    """
    async with uow_factory() as uow:
        assignment = await load_live(uow, assignment_id)
        pending = assignment.pending
        assignment.resolve(resolution, fms_request_id)
        now = clock.now()
        detail = f"{resolution.value}" + (f" fms_request_id={fms_request_id}" if fms_request_id else "")
        of = f" (operation {pending.operation_id})" if pending else ""
        await uow.operations.record_intent(
            FmsOperation(
                operation_id=uuid4(),
                assignment_id=assignment_id,
                call="resolve",
                purpose=pending.kind.value if pending else "create",
                actor=actor.name,
                started_at=now,
                payload_summary=f"resolved by hand: {detail}{of}",
                outcome=OperationOutcome.SUCCESS,
                finished_at=now,
                fms_request_id=assignment.fms_request_id,
            )
        )
        await uow.assignments.update(assignment)
        return AssignmentHistory(assignment, await uow.operations.for_assignment(assignment_id))
