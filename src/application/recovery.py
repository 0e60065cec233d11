"""Use-case: settle FMS operations their holder left creating, deleting or unknown (crashes, timeouts, 5xx).

Only operations no live process holds are taken over (protocol/takeover.py): a queued or running call
of a bulk, or a single action, is never settled behind its back. Deletes are retried (404 = done). A
create is settled by looking the request up by its reference when the gateway can; otherwise it is
left `unknown` and shown to people (or settled by the next current-activity report). A create is
never sent again here: FMS offers no idempotency key.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from uuid import UUID, uuid4

from application.backoff import Backoff
from application.fms_outcome import outcome_of
from application.fms_waiting_events import apply_waiting_events
from application.port_errors import FmsCallError, PortError
from application.ports import FmsRequestFinder, WorkerLock
from application.protocol.holds import ensure_hold
from application.protocol.ports import ProtocolPorts
from application.protocol.takeover import take_over
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


async def _take(
    ports: ProtocolPorts, a: Assignment, *, call: str | None, summary: str = ""
) -> tuple[Assignment, UUID] | None:
    """Take the operation over (audited as the call about to be made); None when it is not free."""
    assert a.assignment_id is not None
    assert a.pending is not None
    audit_id = uuid4()
    audit = None
    if call is not None:
        audit = FmsOperation(
            operation_id=audit_id,
            assignment_id=a.assignment_id,
            call=call,
            purpose=a.pending.kind.value,
            actor=RECOVERY_ACTOR,
            started_at=ports.clock.now(),
            fms_request_id=a.fms_request_id,
            payload_summary=summary,
        )
    async with ports.uow_factory() as uow:
        taken = await take_over(uow, a, holder=ports.holder, now=ports.clock.now(), audit=audit)
    return (taken, audit_id) if taken is not None else None


@asynccontextmanager
async def _settling(
    ports: ProtocolPorts,
    a: Assignment,
    audit_id: UUID | None,
    outcome: OperationOutcome | None = None,
    *,
    status_code: int | None = None,
    fms_request_id: int | None = None,
    error: str | None = None,
) -> AsyncIterator[Assignment | None]:
    """One transaction: record the call's outcome, lock the assignment and hand it over if still pending.

    Yields None when someone (the sync) settled it meanwhile. What the block leaves unsettled is
    released with a quiet time; the change is stored when the block ends.
    """
    assert a.assignment_id is not None
    assert a.pending is not None
    async with ports.uow_factory() as uow:
        now = ports.clock.now()
        if audit_id is not None and outcome is not None:
            await uow.operations.record_outcome(
                audit_id,
                outcome=outcome,
                finished_at=now,
                status_code=status_code,
                fms_request_id=fms_request_id,
                error=error,
            )
        current = await uow.assignments.get(a.assignment_id, for_update=True)
        if (
            current is None
            or current.pending is None
            or current.pending.operation_id != a.pending.operation_id
            or current.pending.held_by != a.pending.held_by  # someone took it from this pass
        ):
            yield None
            return
        yield current
        if a.pending.held_by is not None:
            current.release(a.pending.held_by, quiet_until=now + ports.holder.lease)
        await uow.assignments.update(current)


async def _settle_delete(ports: ProtocolPorts, a: Assignment) -> bool | None:
    """Retry the FMS delete; True when settled (2xx or 404), None when it was not free to take over."""
    assert a.fms_request_id is not None
    taken = await _take(ports, a, call="delete", summary=f"retry delete of FMS request {a.fms_request_id}")
    if taken is None:
        return None
    a, audit_id = taken
    assert a.pending is not None
    assert a.fms_request_id is not None
    try:
        answer = await ports.fms.delete_request(a.fms_request_id)
    except FmsCallError as error:
        outcome = outcome_of(error)
        # Even a definite refusal of the retry does not prove FMS still holds the request: the call
        # being retried may have deleted it. Only a 2xx or 404 settles a delete; else it stays
        # `deleting`, is retried with backoff and shown to people (resolve still_open or deleted).
        how = "unclear" if outcome is OperationOutcome.AMBIGUOUS else outcome.value.replace("_", " ")
        note = f"retry {how}: {error.message}"
        async with _settling(
            ports, a, audit_id, outcome, status_code=error.status_code, error=error.message
        ) as current:
            if current is not None:
                current.fms_delete_outcome_unknown(a.pending.operation_id, note)
        return False
    async with _settling(
        ports, a, audit_id, OperationOutcome.SUCCESS, status_code=answer.status_code
    ) as current:
        if current is not None:
            current.fms_delete_confirmed(a.pending.operation_id)
    return True


async def _mark_unknown(ports: ProtocolPorts, a: Assignment) -> None:
    """Without a lookup, a create its holder left `creating` becomes `unknown`: shown to people."""
    taken = await _take(ports, a, call=None)
    if taken is None:
        return
    async with _settling(ports, taken[0], None) as current:
        if current is not None and current.pending is not None:
            current.request_outcome_unknown(
                current.pending.operation_id,
                "the call's outcome was never recorded (the process stopped); check FMS and resolve it",
            )


async def _settle_create(
    ports: ProtocolPorts, finder: FmsRequestFinder | None, a: Assignment, report: RecoveryReport
) -> bool | None:
    """Look the request up by its reference; without that capability, mark it unknown."""
    assert a.pending is not None
    assert a.assignment_id is not None
    if finder is None:
        if a.fms_state is FmsState.CREATING:
            await _mark_unknown(ports, a)
        report.left_unknown += 1
        return False
    reference = scheduler_reference(a.assignment_id, a.pending.operation_id)
    taken = await _take(ports, a, call="lookup", summary=reference)
    if taken is None:
        return None
    a, audit_id = taken
    assert a.pending is not None
    op = a.pending.operation_id
    try:
        found = await finder.find_by_reference(reference)
    except FmsCallError as error:
        async with _settling(
            ports, a, audit_id, OperationOutcome.AMBIGUOUS, status_code=error.status_code, error=error.message
        ) as current:
            if current is not None and current.fms_state is FmsState.CREATING and current.pending is not None:
                current.request_outcome_unknown(op, error.message)
        return False
    async with _settling(
        ports, a, audit_id, OperationOutcome.SUCCESS, status_code=200, fms_request_id=found
    ) as current:
        if current is not None:
            if found is not None:
                current.request_accepted(op, found)
            else:
                current.request_refused(
                    op, "FMS holds no request for it: it was not created; request it again"
                )
    if found is not None:
        with suppress(PortError):  # stored already; the worker's sweep applies them next pass
            await apply_waiting_events(found, uow_factory=ports.uow_factory, clock=ports.clock)
    return True


async def settle_pending(
    ports: ProtocolPorts,
    *,
    lock: WorkerLock,
    finder: FmsRequestFinder | None,
    backoff: Backoff,
    limit: int = 100,
) -> RecoveryReport:
    """One pass over operations no live process holds; only one pass runs at a time across replicas."""
    report = RecoveryReport()
    async with lock.hold(LOCK_NAME) as mine:
        if not mine:
            return RecoveryReport(ran=False)
        async with ports.uow_factory() as uow:
            waiting = await uow.assignments.free_to_take_over(
                now=ports.clock.now(), limit=limit, mine=ports.holder.holder_id
            )
        for a in waiting:
            assert a.assignment_id is not None
            assert a.pending is not None
            if a.pending.operation_id in ports.holder.in_hand:
                continue  # a task of this process is settling it (a queued call, an answer kept)
            report.examined += 1
            if not backoff.due(a.assignment_id, ports.clock.now()):
                report.deferred += 1
                continue
            if not await ensure_hold(ports.holder, uow_factory=ports.uow_factory, clock=ports.clock):
                report.failed += 1
                report.notes.append("this process could not keep its hold: pass stopped")
                break
            ports.holder.in_hand.add(a.pending.operation_id)
            try:
                if a.pending.kind is PendingKind.CREATE:
                    settled = await _settle_create(ports, finder, a, report)
                else:
                    settled = await _settle_delete(ports, a)
            finally:  # settled, or left held by this process: its next pass takes it up again
                ports.holder.in_hand.discard(a.pending.operation_id)
            if settled is None:
                report.deferred += 1  # a live process took it meanwhile
            elif settled:
                report.settled += 1
                backoff.forget(a.assignment_id)
            else:
                backoff.failed(a.assignment_id, ports.clock.now())
    return report
