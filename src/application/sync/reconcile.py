"""Use-case: after a current-activity load, turn approved requests active and finished loans completed."""

from __future__ import annotations

from datetime import datetime

from application.ports import Clock, FmsOperationLog, UnitOfWork, UnitOfWorkFactory
from application.protocol.takeover import still_held
from application.records import AssignmentEvent, OperationOutcome
from application.sync.records import ReconcileSummary
from domain.assignment import Assignment
from domain.reconciliation import completion_reason, match_activities
from domain.values import PendingKind


async def settle_by_activity(
    operations: FmsOperationLog, a: Assignment, activity_id: int, now: datetime
) -> None:
    """An FMS call left unsettled is answered by the report: the request exists, it became the activity."""
    pending = a.pending
    if pending is None:
        return
    if pending.kind is PendingKind.CREATE:
        outcome = OperationOutcome.SUCCESS
        note = f"settled by the current-activity report: activity {activity_id}"
    else:
        outcome, note = (
            OperationOutcome.REFUSED,
            f"superseded: FMS approved the request (activity {activity_id}) before it was deleted",
        )
    await operations.record_outcome(pending.operation_id, outcome=outcome, finished_at=now, error=note)


async def _activate(uow: UnitOfWork, now: datetime, run_id: int | None) -> list[tuple[int, int]]:
    repo = uow.reconciliation
    # An operation a live process holds is left to it (its call is under way); the next sync sees it.
    waiting = [a for a in await repo.awaiting_activity() if not await still_held(uow, a, now=now)]
    if not waiting:
        return []
    activities = await repo.current_activities_of({a.vin for a in waiting})
    claimed = await repo.claimed_activity_ids({x.activity_id for x in activities}) if activities else set()
    by_id = {a.assignment_id: a for a in waiting}
    done = []
    for match in match_activities(waiting, activities, claimed=claimed):
        a = by_id[match.assignment_id]
        before = a.status.value
        await settle_by_activity(uow.operations, a, match.activity.activity_id, now)
        a.activate(match.activity.activity_id)
        await uow.assignments.update(a)
        await repo.record_event(
            AssignmentEvent(
                match.assignment_id, now, "activated", before, a.status.value, match.reason,
                activity_id=match.activity.activity_id, run_id=run_id,
            )
        )  # fmt: skip
        done.append((match.assignment_id, match.activity.activity_id))
    return done


async def _complete(
    uow: UnitOfWork, clock: Clock, now: datetime, run_id: int | None
) -> list[tuple[int, int]]:
    repo = uow.reconciliation
    active = await repo.active()
    ids = {a.activity_id for a in active if a.activity_id is not None}
    if not ids:
        return []
    in_history = await repo.in_loan_history(ids)
    in_current = await repo.in_current_activity(ids)
    done = []
    for a in active:
        reason = completion_reason(
            a,
            in_loan_history=a.activity_id in in_history,
            in_current_activity=a.activity_id in in_current,
            today=clock.today(),
        )
        if reason is None or a.assignment_id is None or a.activity_id is None:
            continue
        a.complete()
        await uow.assignments.update(a)
        await repo.record_event(
            AssignmentEvent(
                a.assignment_id, now, "completed", "active", a.status.value, reason,
                activity_id=a.activity_id, run_id=run_id,
            )
        )  # fmt: skip
        done.append((a.assignment_id, a.activity_id))
    return done


async def reconcile_assignments(
    *, uow_factory: UnitOfWorkFactory, clock: Clock, run_id: int | None = None
) -> ReconcileSummary:
    """Apply the reports to the assignments in one transaction; every change is recorded with its reason."""
    now = clock.now()
    async with uow_factory() as uow:
        activated = await _activate(uow, now, run_id)
        completed = await _complete(uow, clock, now, run_id)
    return ReconcileSummary(activated=activated, completed=completed)
