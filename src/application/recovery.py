"""Use-case: settle FMS operations left creating, deleting or unknown (crashes, timeouts, 5xx).

Deletes are retried (404 = done). A create is settled by looking the request up by its reference
when the gateway can; otherwise it is left `unknown` and shown to people (or settled by the next
current-activity report). A create is never sent again here: FMS offers no idempotency key.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from uuid import UUID, uuid4

from application.backoff import Backoff
from application.fms_outcome import outcome_of
from application.ports import (
    Clock,
    FmsCallError,
    FmsGateway,
    FmsRequestFinder,
    UnitOfWork,
    UnitOfWorkFactory,
    WorkerLock,
)
from application.records import FmsOperation, OperationOutcome
from domain.assignment import Assignment
from domain.fms_request import scheduler_reference
from domain.values import FmsState, PendingKind

RECOVERY_ACTOR = "recovery-worker"
LOCK_NAME = "fms-recovery"


@dataclass
class RecoveryReport:
    """What one pass did."""

    ran: bool = True
    examined: int = 0
    settled: int = 0
    left_unknown: int = 0
    deferred: int = 0
    failed: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RecoveryDeps:
    """The ports a pass works with."""

    uow_factory: UnitOfWorkFactory
    fms: FmsGateway
    clock: Clock
    lock: WorkerLock
    finder: FmsRequestFinder | None = None


async def _audit_call(
    deps: RecoveryDeps, a: Assignment, *, call: str, purpose: PendingKind, summary: str
) -> UUID:
    assert a.assignment_id is not None
    operation_id = uuid4()
    async with deps.uow_factory() as uow:
        await uow.operations.record_intent(
            FmsOperation(
                operation_id=operation_id,
                assignment_id=a.assignment_id,
                call=call,
                purpose=purpose.value,
                actor=RECOVERY_ACTOR,
                started_at=deps.clock.now(),
                fms_request_id=a.fms_request_id,
                payload_summary=summary,
            )
        )
    return operation_id


@asynccontextmanager
async def _settling(
    deps: RecoveryDeps,
    a: Assignment,
    audit_id: UUID | None,
    outcome: OperationOutcome | None = None,
    *,
    status_code: int | None = None,
    fms_request_id: int | None = None,
    error: str | None = None,
) -> AsyncIterator[Assignment | None]:
    """One transaction: record the call's outcome, lock the assignment and hand it over if still pending.

    Yields None when someone (a person, the sync) settled it meanwhile; the change made by the block
    is stored when the block ends.
    """
    assert a.assignment_id is not None
    assert a.pending is not None
    async with deps.uow_factory() as uow:
        if audit_id is not None and outcome is not None:
            await uow.operations.record_outcome(
                audit_id,
                outcome=outcome,
                finished_at=deps.clock.now(),
                status_code=status_code,
                fms_request_id=fms_request_id,
                error=error,
            )
        current = await uow.assignments.get(a.assignment_id, for_update=True)
        if (
            current is None
            or current.pending is None
            or current.pending.operation_id != a.pending.operation_id
        ):
            yield None
            return
        await _close_orphaned_intent(uow, a, deps.clock)
        yield current
        await uow.assignments.update(current)


async def _close_orphaned_intent(uow: UnitOfWork, a: Assignment, clock: Clock) -> None:
    """An intent whose outcome was never written (the process stopped mid-call) is closed as ambiguous."""
    assert a.assignment_id is not None
    assert a.pending is not None
    for op in await uow.operations.for_assignment(a.assignment_id):
        if op.operation_id == a.pending.operation_id and op.outcome is OperationOutcome.PENDING:
            await uow.operations.record_outcome(
                op.operation_id,
                outcome=OperationOutcome.AMBIGUOUS,
                finished_at=clock.now(),
                error="outcome never recorded: the process stopped during the call",
            )


async def _settle_delete(deps: RecoveryDeps, a: Assignment) -> bool:
    """Retry the FMS delete; True when settled (deleted, 404, or definitely refused)."""
    assert a.pending is not None
    assert a.fms_request_id is not None
    audit_id = await _audit_call(
        deps,
        a,
        call="delete",
        purpose=a.pending.kind,
        summary=f"retry delete of FMS request {a.fms_request_id}",
    )
    try:
        answer = await deps.fms.delete_request(a.fms_request_id)
    except FmsCallError as error:
        outcome = outcome_of(error)
        async with _settling(
            deps, a, audit_id, outcome, status_code=error.status_code, error=error.message
        ) as current:
            if current is not None:
                if outcome is OperationOutcome.REFUSED:
                    current.fms_delete_refused(a.pending.operation_id, error.message)
                else:
                    current.fms_delete_outcome_unknown(a.pending.operation_id, error.message)
        return outcome is OperationOutcome.REFUSED
    async with _settling(
        deps, a, audit_id, OperationOutcome.SUCCESS, status_code=answer.status_code
    ) as current:
        if current is not None:
            current.fms_delete_confirmed(a.pending.operation_id)
    return True


async def _settle_create(deps: RecoveryDeps, a: Assignment, report: RecoveryReport) -> bool:
    """Look the request up by its reference; without that capability, mark it unknown."""
    assert a.pending is not None
    assert a.assignment_id is not None
    op = a.pending.operation_id
    if deps.finder is None:
        if a.fms_state is FmsState.CREATING:
            async with _settling(deps, a, None) as current:
                if current is not None:
                    current.request_outcome_unknown(
                        op,
                        "the call's outcome was never recorded (the process "
                        "stopped); check FMS and resolve it",
                    )
        report.left_unknown += 1
        return False
    reference = scheduler_reference(a.assignment_id, op)
    audit_id = await _audit_call(deps, a, call="lookup", purpose=PendingKind.CREATE, summary=reference)
    try:
        found = await deps.finder.find_by_reference(reference)
    except FmsCallError as error:
        async with _settling(
            deps, a, audit_id, OperationOutcome.AMBIGUOUS, status_code=error.status_code, error=error.message
        ):
            pass
        return False
    async with _settling(
        deps, a, audit_id, OperationOutcome.SUCCESS, status_code=200, fms_request_id=found
    ) as current:
        if current is not None:
            if found is not None:
                current.request_accepted(op, found)
            else:
                current.request_refused(
                    op, "FMS holds no request for it: it was not created; request it again"
                )
    return True


async def settle_pending(
    deps: RecoveryDeps, *, stale_after: timedelta, backoff: Backoff, limit: int = 100
) -> RecoveryReport:
    """One pass over operations older than stale_after; only one pass runs at a time across replicas."""
    report = RecoveryReport()
    async with deps.lock.hold(LOCK_NAME) as mine:
        if not mine:
            return RecoveryReport(ran=False)
        async with deps.uow_factory() as uow:
            waiting = await uow.assignments.in_flight(
                started_before=deps.clock.now() - stale_after, limit=limit
            )
        for a in waiting:
            assert a.assignment_id is not None
            assert a.pending is not None
            report.examined += 1
            if not backoff.due(a.assignment_id, deps.clock.now()):
                report.deferred += 1
                continue
            if a.pending.kind is PendingKind.CREATE:
                settled = await _settle_create(deps, a, report)
            else:
                settled = await _settle_delete(deps, a)
            if settled:
                report.settled += 1
                backoff.forget(a.assignment_id)
            else:
                backoff.failed(a.assignment_id, deps.clock.now())
    return report
