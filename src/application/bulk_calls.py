"""Bulk steps 2 and 3: FMS calls outside any transaction, at most N at once; outcomes stored as they finish.

One writer records outcomes: whatever calls have finished since its last write go into one transaction
(lock and reload those assignments, apply the answer through the aggregate, store, complete the audit
rows), so the database work per item shrinks as concurrency grows, and no answer waits long unrecorded.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from application.bulk_records import ItemResult, OutcomeNotRecorded, PendingCall
from application.fms_outcome import outcome_of, problem_for
from application.ports import (
    Clock,
    FmsAmbiguous,
    FmsAnswer,
    FmsCallError,
    FmsGateway,
    PortError,
    UnitOfWorkFactory,
)
from application.records import FmsOperation, OperationOutcome
from domain.assignment import Assignment
from domain.errors import InvalidTransition


@dataclass(frozen=True)
class CallOutcome:
    """What FMS answered to one call: an answer, or the error that says whether it may have acted."""

    call: PendingCall
    answer: FmsAnswer | None = None
    error: FmsCallError | None = None


async def call_fms(fms: FmsGateway, call: PendingCall) -> CallOutcome:
    """Make one call; never raises (a broken gateway counts as ambiguous: FMS may have acted)."""
    try:
        if call.request is not None:
            answer = await fms.create_request(call.request)
            if answer.fms_request_id is None:
                raise FmsAmbiguous(
                    "FMS accepted the create without a request id", status_code=answer.status_code
                )
        else:
            assert call.assignment.fms_request_id is not None
            answer = await fms.delete_request(call.assignment.fms_request_id)
    except FmsCallError as error:
        return CallOutcome(call, error=error)
    except Exception as error:
        return CallOutcome(call, error=FmsAmbiguous(f"unexpected error calling FMS: {type(error).__name__}"))
    return CallOutcome(call, answer=answer)


def _action(call: PendingCall) -> str:
    if call.request is not None:
        return "create the vehicle request"
    verb = "delete the vehicle request" if call.operation.purpose == "delete" else "unrequest"
    return f"{verb} (FMS request {call.assignment.fms_request_id})"


def settle(a: Assignment, done: CallOutcome, now: datetime) -> tuple[ItemResult, FmsOperation, bool]:
    """Apply FMS's answer through the aggregate: the item's result, its completed audit row, and changed."""
    call, creating = done.call, done.call.request is not None
    operation_id = call.operation.operation_id
    fms_request_id = call.assignment.fms_request_id
    error: Exception | None = None
    try:
        if done.error is None:
            assert done.answer is not None
            if creating:
                assert done.answer.fms_request_id is not None
                fms_request_id = done.answer.fms_request_id
                a.request_accepted(operation_id, fms_request_id)
            else:
                a.fms_delete_confirmed(operation_id)
        elif outcome_of(done.error) is OperationOutcome.REFUSED:
            (a.request_refused if creating else a.fms_delete_refused)(operation_id, done.error.message)
        else:
            (a.request_outcome_unknown if creating else a.fms_delete_outcome_unknown)(
                operation_id, done.error.message
            )
        changed = True
    except InvalidTransition as moved_on:  # e.g. a sync activated it while FMS was being called
        error, changed = moved_on, False
    if done.error is not None:
        error = problem_for(
            done.error, assignment_id=call.assignment_id, fms_state=a.fms_state.value, action=_action(call)
        )
    answer, fault = done.answer, done.error
    record = replace(
        call.operation,
        outcome=OperationOutcome.SUCCESS if fault is None else outcome_of(fault),
        finished_at=now,
        status_code=answer.status_code if answer is not None else fault.status_code if fault else None,
        fms_request_id=fms_request_id,
        error=fault.message if fault is not None else None,
    )
    succeeded = fault is None
    result = ItemResult(
        call.index,
        call.assignment_id,
        a,
        error,
        created_in_fms=succeeded and creating,
        deleted_from_fms=succeeded and not creating,
    )
    return result, record, changed


async def record_outcomes(
    batch: Sequence[CallOutcome], *, uow_factory: UnitOfWorkFactory, clock: Clock
) -> list[ItemResult]:
    """Step 3 for a batch of finished calls, in one transaction; storage failures become item errors."""
    try:
        async with uow_factory() as uow:
            ids = [done.call.assignment_id for done in batch]
            current = {a.assignment_id: a for a in await uow.assignments.get_many(ids, for_update=True)}
            now = clock.now()
            results, records, changed = [], [], []
            for done in batch:
                result, record, was_changed = settle(current[done.call.assignment_id], done, now)
                results.append(result)
                records.append(record)
                if was_changed:
                    changed.append(current[done.call.assignment_id])
            await uow.assignments.update_many(changed)
            await uow.operations.record_outcomes(records)
        return results
    except PortError as failure:
        return [_not_recorded(done, failure) for done in batch]


def _not_recorded(done: CallOutcome, failure: Exception) -> ItemResult:
    call = done.call
    answered = "answered" if done.error is None else f"failed ({done.error.message})"
    error = OutcomeNotRecorded(
        f"FMS {answered} but the outcome could not be stored ({failure}); the assignment stays "
        f"fms_state {call.assignment.fms_state} until the recovery worker settles it"
    )
    return ItemResult(call.index, call.assignment_id, call.assignment, error)


async def run_calls(
    calls: Sequence[PendingCall],
    *,
    fms: FmsGateway,
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    max_concurrency: int,
    publish: Callable[[ItemResult], None],
) -> None:
    """Steps 2 and 3 for every call: at most max_concurrency calls at once, results published as stored."""
    finished: asyncio.Queue[CallOutcome] = asyncio.Queue()
    gate = asyncio.Semaphore(max_concurrency)

    async def call_one(call: PendingCall) -> None:
        async with gate:
            finished.put_nowait(await call_fms(fms, call))

    async def write_all() -> None:
        written = 0
        while written < len(calls):
            batch = [await finished.get()]
            while not finished.empty():
                batch.append(finished.get_nowait())
            for result in await record_outcomes(batch, uow_factory=uow_factory, clock=clock):
                publish(result)
            written += len(batch)

    await asyncio.gather(write_all(), *(call_one(call) for call in calls))
