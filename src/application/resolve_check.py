"""Before a person settles a create as "not sent": ask FMS, when it can be asked, and believe it."""

from __future__ import annotations

from uuid import uuid4

from application.port_errors import FmsCallError
from application.ports import Clock, FmsRequestFinder, UnitOfWorkFactory
from application.records import Actor, FmsOperation, OperationOutcome
from application.request import load_live
from domain.errors import InvalidTransition
from domain.fms_request import scheduler_reference
from domain.values import PendingKind, Resolution


class FmsHoldsTheRequest(InvalidTransition):
    """A person said "not sent", but FMS holds the request: it must be linked instead."""

    def __init__(self, assignment_id: int, fms_request_id: int) -> None:
        super().__init__(
            f"FMS holds request {fms_request_id} for assignment {assignment_id} (found by its reference): "
            f'it was sent; resolve it with "link" and fms_request_id {fms_request_id}'
        )
        self.fms_request_id = fms_request_id


async def ensure_not_in_fms(
    assignment_id: int,
    *,
    finder: FmsRequestFinder,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
) -> None:
    """Look the pending create up by its reference (audited); FmsHoldsTheRequest when FMS holds it.

    An answer that cannot prove anything (unreachable, ambiguous) leaves the person's word to stand.
    Inside the quiet time nothing is looked up (FmsMayStillAct): "not found" would prove nothing yet.
    """
    async with uow_factory() as uow:
        assignment = await load_live(uow, assignment_id, for_update=False)
    assignment.ensure_fms_done_acting(Resolution.NOT_SENT, clock.now())
    pending = assignment.pending
    if pending is None or pending.kind is not PendingKind.CREATE:
        return
    reference = scheduler_reference(assignment_id, pending.operation_id)
    audit = FmsOperation(
        operation_id=uuid4(),
        assignment_id=assignment_id,
        call="lookup",
        purpose="create",
        actor=actor.name,
        started_at=clock.now(),
        payload_summary=f"checked before resolving by hand as not sent: {reference}",
    )
    async with uow_factory() as uow:
        await uow.operations.record_intent(audit)
    try:
        found = await finder.find_by_reference(reference)
    except FmsCallError as error:
        async with uow_factory() as uow:
            await uow.operations.record_outcome(
                audit.operation_id,
                outcome=OperationOutcome.AMBIGUOUS,
                finished_at=clock.now(),
                status_code=error.status_code,
                error=error.message,
            )
        return
    async with uow_factory() as uow:
        await uow.operations.record_outcome(
            audit.operation_id,
            outcome=OperationOutcome.SUCCESS,
            finished_at=clock.now(),
            status_code=200,
            fms_request_id=found,
        )
    if found is not None:
        raise FmsHoldsTheRequest(assignment_id, found)
