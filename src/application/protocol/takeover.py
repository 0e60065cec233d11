"""Taking over an FMS operation its holder left: only when no live process holds it.

The recovery worker takes operations over to settle them; a person resolves them by hand. Both go
through here, inside the transaction that locks the assignment row, so a takeover and the holder's
own outcome can never both apply.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.ports import UnitOfWork
from application.protocol.holds import Holder
from application.records import FmsOperation, OperationOutcome
from domain.assignment import Assignment

ORPHANED = "outcome never recorded: the process that held the call stopped before recording it"


async def held_by_live_process(uow: UnitOfWork, a: Assignment, *, now: datetime) -> bool:
    """True when a live process (its lease running) holds the pending operation; a read, takes nothing."""
    held_by = a.pending.held_by if a.pending is not None else None
    return held_by is not None and held_by in await uow.holds.live([held_by], now=now)


async def still_held(uow: UnitOfWork, a: Assignment, *, now: datetime, by: UUID | None = None) -> bool:
    """True while a live process other than `by` holds the pending operation; when its lease has
    lapsed, that lease is ended for good (it can never be renewed) and False is returned."""
    held_by = a.pending.held_by if a.pending is not None else None
    if held_by is None or held_by == by:
        return False
    return not await uow.holds.take_from(held_by, now=now)


async def close_orphaned_intent(
    uow: UnitOfWork, assignment_id: int, operation_id: UUID, *, now: datetime
) -> None:
    """An intent whose outcome its holder never wrote is closed as ambiguous (FMS may have acted)."""
    for op in await uow.operations.for_assignment(assignment_id):
        if op.operation_id == operation_id and op.outcome is OperationOutcome.PENDING:
            await uow.operations.record_outcome(
                op.operation_id, outcome=OperationOutcome.AMBIGUOUS, finished_at=now, error=ORPHANED
            )


async def take_over(
    uow: UnitOfWork, seen: Assignment, *, holder: Holder, now: datetime, audit: FmsOperation | None
) -> Assignment | None:
    """Take the pending operation seen free, audited; None when it moved on, is held, or is quiet."""
    assert seen.assignment_id is not None
    assert seen.pending is not None
    current = await uow.assignments.get(seen.assignment_id, for_update=True)
    if (
        current is None
        or current.removed
        or current.pending is None
        or current.pending.operation_id != seen.pending.operation_id
        or (current.pending.quiet_until is not None and current.pending.quiet_until > now)
        or await still_held(uow, current, now=now, by=holder.holder_id)
    ):
        return None
    await close_orphaned_intent(uow, seen.assignment_id, seen.pending.operation_id, now=now)
    current.take_over(holder.holder_id, holder_live=False)
    if audit is not None:
        await uow.operations.record_intent(audit)
    await uow.assignments.update(current)
    return current
