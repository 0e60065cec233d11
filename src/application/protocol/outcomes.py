"""Protocol step 3: FMS answers applied through the aggregate and stored, one transaction per batch.

An operation whose outcome stays unsettled (ambiguous) is released by its holder, with a quiet time
(one lease) before anyone may take it over: a create FMS was still processing can land meanwhile.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from application.errors import OutcomeNotRecorded
from application.fms_outcome import fms_did_not_act, outcome_of, problem_for
from application.port_errors import PortError
from application.protocol.holds import Holder
from application.protocol.ports import ProtocolPorts
from application.protocol.records import CallOutcome, ItemResult, PendingCall
from application.records import FmsOperation, OperationOutcome
from domain.assignment import Assignment
from domain.errors import InvalidTransition


def _action(call: PendingCall) -> str:
    if call.request is not None:
        return "create the vehicle request"
    verb = "delete the vehicle request" if call.operation.purpose == "delete" else "unrequest"
    return f"{verb} (FMS request {call.assignment.fms_request_id})"


def _apply(a: Assignment, done: CallOutcome) -> None:
    """The answer through the aggregate, unless someone took the operation over meanwhile."""
    operation_id, creating, fault = (
        done.call.operation.operation_id,
        done.call.request is not None,
        done.error,
    )
    called_under = done.call.assignment.pending
    if (
        a.pending is not None
        and called_under is not None
        and a.pending.operation_id == operation_id
        and a.pending.held_by != called_under.held_by
    ):
        raise InvalidTransition(
            f"assignment {a.assignment_id}: its operation was taken over; left to its taker"
        )
    if fault is None:
        assert done.answer is not None
        if creating:
            assert done.answer.fms_request_id is not None
            a.request_accepted(operation_id, done.answer.fms_request_id)
        else:
            a.fms_delete_confirmed(operation_id)
    elif fms_did_not_act(fault):
        (a.request_refused if creating else a.fms_delete_refused)(operation_id, fault.message)
    else:
        (a.request_outcome_unknown if creating else a.fms_delete_outcome_unknown)(operation_id, fault.message)


def _audit_row(done: CallOutcome, now: datetime) -> FmsOperation:
    """The operation's audit row, completed with what FMS answered."""
    answer, fault = done.answer, done.error
    if fault is not None:
        return replace(
            done.call.operation,
            outcome=outcome_of(fault),
            finished_at=now,
            status_code=fault.status_code,
            error=fault.message,
        )
    assert answer is not None
    return replace(
        done.call.operation,
        outcome=OperationOutcome.SUCCESS,
        finished_at=now,
        status_code=answer.status_code,
        fms_request_id=answer.fms_request_id or done.call.assignment.fms_request_id,
    )


def settle(
    a: Assignment, done: CallOutcome, now: datetime, holder: Holder
) -> tuple[ItemResult, FmsOperation, bool]:
    """Apply FMS's answer to the locked assignment: the item's result, its audit row, whether it changed."""
    call = done.call
    error: Exception | None = None
    try:
        _apply(a, done)
        a.release(
            holder.holder_id, quiet_until=now + holder.lease
        )  # still unsettled: free for a takeover after the quiet time
        changed = True
    except InvalidTransition as moved_on:  # e.g. a sync activated it while FMS was being called
        error, changed = moved_on, False
    if done.error is not None:
        error = problem_for(
            done.error, assignment_id=call.assignment_id, fms_state=a.fms_state.value, action=_action(call)
        )
    succeeded, creating = done.error is None, call.request is not None
    result = ItemResult(
        call.index,
        call.assignment_id,
        a,
        error,
        created_in_fms=succeeded and creating,
        deleted_from_fms=succeeded and not creating,
    )
    return result, _audit_row(done, now), changed


def _settle_all(
    current: dict[int, Assignment], batch: Sequence[CallOutcome], now: datetime, holder: Holder
) -> tuple[list[ItemResult], list[FmsOperation], list[Assignment]]:
    """settle() for every call of the batch: results, audit rows, and the assignments that changed."""
    results, records, changed = [], [], []
    for done in batch:
        a = current[done.call.assignment_id]
        result, record, was_changed = settle(a, done, now, holder)
        results.append(result)
        records.append(record)
        if was_changed:
            changed.append(a)
    return results, records, changed


async def _as_left(done: CallOutcome, now: datetime, ports: ProtocolPorts) -> list[ItemResult] | None:
    """One call settled on the assignment as step 1 stored it, stored in one write only if nobody
    changed it since (its version): no lock, no reload, no transaction. None (nothing stored) when it
    moved on meanwhile."""
    a = copy.copy(done.call.assignment)  # the aggregate rebinds fields, never mutates them
    results, records, changed = _settle_all({done.call.assignment_id: a}, [done], now, ports.holder)
    if not changed or not await ports.uow_factory.outcomes.store_if_unchanged(a, records[0]):
        return None
    return results


async def store_outcomes(batch: Sequence[CallOutcome], *, ports: ProtocolPorts) -> list[ItemResult]:
    """Step 3 for a batch of finished calls, in one transaction (one write for a single call that
    nobody changed meanwhile); PortError when the database does not take it."""
    now = ports.clock.now()
    if len(batch) == 1 and (results := await _as_left(batch[0], now, ports)) is not None:
        return results
    async with ports.uow_factory() as uow:
        ids = [done.call.assignment_id for done in batch]
        current = {a.assignment_id: a for a in await uow.assignments.get_many(ids, for_update=True)}
        results, records, changed = _settle_all(current, batch, now, ports.holder)  # type: ignore[arg-type]
        await uow.protocol.store_outcomes(changed, records)
    return results


async def record_outcomes(batch: Sequence[CallOutcome], *, ports: ProtocolPorts) -> list[ItemResult]:
    """Step 3, never losing an answer: what the database does not take stays in this process's outbox
    (stored by the heartbeat as soon as the database is back), and each item says so."""
    try:
        results = await store_outcomes(batch, ports=ports)
    except PortError as failure:
        ports.holder.storage_failed()
        ports.holder.outbox.keep(batch)
        return [_stored_later(done, failure) for done in batch]
    _out_of_hand(ports, batch)
    return results


async def store_owed(ports: ProtocolPorts) -> int:
    """Store the answers kept in the outbox, oldest first, in one transaction; how many were stored.
    PortError (and the answers kept) when the database still does not take them."""
    owed = ports.holder.outbox.owed()
    if not owed:
        return 0
    try:
        await store_outcomes(owed, ports=ports)
    except PortError:
        ports.holder.storage_failed()
        raise
    ports.holder.outbox.forget(owed)
    _out_of_hand(ports, owed)
    return len(owed)


def _out_of_hand(ports: ProtocolPorts, stored: Sequence[CallOutcome]) -> None:
    """Their outcomes are stored: no task of this process is settling these operations any more."""
    for done in stored:
        pending = done.call.assignment.pending
        if pending is not None:
            ports.holder.in_hand.discard(pending.operation_id)


def _stored_later(done: CallOutcome, failure: Exception) -> ItemResult:
    call = done.call
    answered = "answered" if done.error is None else f"failed ({done.error.message})"
    error = OutcomeNotRecorded(
        f"FMS {answered}, but the database did not take the outcome ({failure}); this service keeps it "
        f"and stores it as soon as the database answers. Until then the assignment shows fms_state "
        f"{call.assignment.fms_state}; do not retry"
    )
    return ItemResult(call.index, call.assignment_id, call.assignment, error)
