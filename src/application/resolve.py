"""Use-cases for people: see what needs attention, an assignment's FMS history, and settle it by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from application.fms_waiting_events import apply_waiting_in
from application.ports import Clock, FmsRequestFinder, UnitOfWork, UnitOfWorkFactory
from application.protocol.takeover import close_orphaned_intent, held_by_live_process, still_held
from application.records import Actor, FmsOperation, OperationOutcome, OperationQuery
from application.request import load_live
from application.resolve_check import ensure_not_in_fms
from domain.assignment import Assignment
from domain.errors import FmsRequestAlreadyHeld
from domain.values import Resolution


@dataclass(frozen=True)
class AssignmentHistory:
    """An assignment with every FMS operation made for it."""

    assignment: Assignment
    operations: list[FmsOperation]
    call_under_way: bool = False  # a live process holds its pending operation: hands off
    fms_may_act_until: datetime | None = None  # the quiet time after an unclear answer, while it lasts


async def assignment_history(
    assignment_id: int, *, uow_factory: UnitOfWorkFactory, clock: Clock
) -> AssignmentHistory:
    """The assignment (fms_state, last_error included), its operation history (oldest first), whether
    a live process holds its pending operation, and until when FMS may still act on it."""
    async with uow_factory() as uow:
        assignment = await load_live(uow, assignment_id, for_update=False)
        now = clock.now()
        held = await held_by_live_process(uow, assignment, now=now)
        history = await uow.operations.for_assignment(assignment_id)
        return AssignmentHistory(assignment, history, held, assignment.fms_may_act_until(now))


async def needing_attention(
    *, uow_factory: UnitOfWorkFactory, clock: Clock, limit: int = 500
) -> list[AssignmentHistory]:
    """Assignments waiting on an FMS operation (creating, deleting, unknown), oldest operation first,
    each with its operation history: one transaction, so the list and the histories agree."""
    async with uow_factory() as uow:
        waiting = await uow.assignments.in_flight(limit=limit)
        holders = {a.pending.held_by for a in waiting if a.pending is not None and a.pending.held_by}
        now = clock.now()
        live = await uow.holds.live(holders, now=now)
        histories = await uow.operations.for_assignments([a.assignment_id or 0 for a in waiting])
        return [
            AssignmentHistory(
                a,
                histories.get(a.assignment_id or 0, []),
                a.pending is not None and a.pending.held_by in live,
                a.fms_may_act_until(now),
            )
            for a in waiting
        ]


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
    finder: FmsRequestFinder | None = None,
) -> AssignmentHistory:
    """A person settles what machines could not (link an FMS id, not sent, deleted, still open); audited.

    Refused (409) while a live process holds the operation (its call is under way), for "not sent"
    or "still open" inside the quiet time after an unclear answer (FmsMayStillAct, with its end: with
    or without a finder), for a link to an FMS request another live assignment holds, and for "not
    sent" when FMS, asked through the finder, holds the request. Returns the settled assignment with
    its history, read in the same transaction.
    """
    if resolution is Resolution.NOT_SENT and finder is not None:
        await ensure_not_in_fms(
            assignment_id, finder=finder, actor=actor, uow_factory=uow_factory, clock=clock
        )
    async with uow_factory() as uow:
        assignment = await load_live(uow, assignment_id)
        pending = assignment.pending
        now = clock.now()
        if resolution is Resolution.LINK and fms_request_id is not None:
            await _ensure_not_held_elsewhere(uow, fms_request_id, assignment_id)
        held = await still_held(uow, assignment, now=now)
        assignment.resolve(resolution, fms_request_id, now=now, holder_live=held)
        if pending is not None:
            await close_orphaned_intent(uow, assignment_id, pending.operation_id, now=now)
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
        # Events FMS pushed about a linked request before anyone knew it was this one's apply now.
        linked = assignment.fms_request_id if resolution is Resolution.LINK else None
        if linked is not None and await apply_waiting_in(uow, linked, now):
            assignment = await load_live(uow, assignment_id, for_update=False)
        return AssignmentHistory(assignment, await uow.operations.for_assignment(assignment_id))


async def _ensure_not_held_elsewhere(uow: UnitOfWork, fms_request_id: int, assignment_id: int) -> None:
    """Two live assignments may never hold one FMS request (the database enforces it too)."""
    others = [
        a for a in await uow.assignments.holding_request(fms_request_id) if a.assignment_id != assignment_id
    ]
    if others:
        raise FmsRequestAlreadyHeld(
            f"FMS request {fms_request_id} is already held by assignment {others[0].assignment_id}; "
            "one FMS request belongs to one assignment"
        )
