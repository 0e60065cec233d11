"""Use-case: apply an event FMS pushed about one of its vehicle requests (approved, rejected, cancelled).

Approved: the assignment holding the request becomes active, by the same rule and audit as the
report's reconciliation (the next report then agrees). Rejected or cancelled: it returns to its green
status with the reason shown; the FMS request id stays in its history. Each event id applies once;
the same event id saying something else is refused. An operation a live process holds is left alone:
the event is not remembered and FMS retries it. An event about a request no assignment holds yet (its
create's outcome is not stored yet) is kept `waiting` and applied once an operation settles with that
request id (fms_waiting_events.py).
"""

from __future__ import annotations

from datetime import datetime

from application.errors import ApplicationError
from application.fms_events import EventResult, FmsEventType, FmsRequestEvent, ReceivedEvent
from application.ports import Clock, UnitOfWork, UnitOfWorkFactory
from application.protocol.takeover import still_held
from application.records import AssignmentEvent, OperationOutcome
from application.sync.reconcile import settle_by_activity
from domain.assignment import Assignment
from domain.values import Status


class FmsEventDeferred(ApplicationError):
    """A live process holds an FMS call on the assignment the event is about: retry the event later."""


class FmsEventConflict(ApplicationError):
    """An event id already received says something else now (type, request, activity or days)."""


def _reason(event: FmsRequestEvent) -> str:
    word = event.type.value.removeprefix("request.")
    return f"FMS {word} request {event.fms_request_id} (event {event.event_id})"


async def _approve(uow: UnitOfWork, a: Assignment, event: FmsRequestEvent, now: datetime) -> bool:
    assert event.activity_id is not None
    assert a.assignment_id is not None
    before = a.status.value
    # A call nobody holds any more is settled truthfully: approved means the request exists.
    await settle_by_activity(uow.operations, a, event.activity_id, now)
    a.activate(event.activity_id)
    await uow.assignments.update(a)
    await uow.reconciliation.record_event(
        AssignmentEvent(
            a.assignment_id, now, "activated", before, a.status.value, _reason(event),
            activity_id=event.activity_id,
        )
    )  # fmt: skip
    return True


async def _withdraw(uow: UnitOfWork, a: Assignment, event: FmsRequestEvent, now: datetime) -> bool:
    assert a.assignment_id is not None
    before, reason = a.status.value, _reason(event)
    pending = a.pending
    if pending is not None:  # an unrequest or delete nobody holds: FMS no longer has the request
        await uow.operations.record_outcome(
            pending.operation_id,
            outcome=OperationOutcome.SUCCESS,
            finished_at=now,
            error=f"settled: {reason}",
        )
        a.fms_delete_confirmed(pending.operation_id)
    else:
        a.fms_withdrew(reason)
    await uow.assignments.update(a)
    kind = "rejected" if event.type is FmsEventType.REJECTED else "cancelled"
    await uow.reconciliation.record_event(
        AssignmentEvent(a.assignment_id, now, kind, before, a.status.value, reason)
    )
    return True


async def apply_event_in(uow: UnitOfWork, event: FmsRequestEvent, now: datetime) -> EventResult:
    """Apply the event inside the caller's transaction: outcome applied, unchanged, or waiting (no
    assignment holds the request yet); FmsEventDeferred while a live process holds a call on it."""
    result = EventResult(event.event_id, "unchanged")
    holding = await uow.assignments.holding_request(event.fms_request_id)
    if not holding:
        result.outcome = "waiting"
        return result
    if event.activity_id is not None and await uow.reconciliation.claimed_activity_ids({event.activity_id}):
        return result  # another assignment holds that activity already: one loan, one assignment
    for seen in holding:
        assert seen.assignment_id is not None
        a = await uow.assignments.get(seen.assignment_id, for_update=True)
        if a is None or a.assignment_id is None or a.removed or a.status is not Status.REQUESTED:
            continue
        if a.fms_request_id != event.fms_request_id:
            continue
        if await still_held(uow, a, now=now):
            raise FmsEventDeferred(
                f"assignment {a.assignment_id} has an FMS call under way; send event {event.event_id} again"
            )
        before = a.status.value
        if event.type is FmsEventType.APPROVED:
            await _approve(uow, a, event, now)
        else:
            await _withdraw(uow, a, event, now)
        result.changed.append((a.assignment_id, before, a.status.value))
    if result.changed:
        result.outcome = "applied"
    return result


async def apply_fms_event(
    event: FmsRequestEvent, *, uow_factory: UnitOfWorkFactory, clock: Clock
) -> EventResult:
    """Apply the event once, in one transaction, and remember it with what it did (its audit).

    A replayed event id changes nothing and answers outcome "replayed" (or "waiting" while it still
    waits); FmsEventConflict when that event id said something else; FmsEventDeferred (nothing
    remembered, nothing changed) while a live process holds a call on the assignment. An event about
    a request nobody holds yet is remembered as "waiting" (with what it says, to apply it later).
    """
    now = clock.now()
    async with uow_factory() as uow:
        received = ReceivedEvent(
            event.event_id,
            event.type.value,
            event.fms_request_id,
            now,
            "received",
            activity_id=event.activity_id,
            fingerprint=event.fingerprint,
        )
        if not await uow.fms_events.remember(received):
            return await _again(uow, event)
        result = await apply_event_in(uow, event, now)
        await uow.fms_events.record_outcome(event.event_id, result.outcome)
    return result


async def _again(uow: UnitOfWork, event: FmsRequestEvent) -> EventResult:
    """An event id received before: the same event (replayed, or still waiting), or a conflict."""
    first = await uow.fms_events.get(event.event_id)
    assert first is not None
    if first.fingerprint is not None and first.fingerprint != event.fingerprint:
        raise FmsEventConflict(
            f"event {event.event_id} was received before with another body (type {first.type}, request "
            f"{first.fms_request_id}); an event id names one event: send a new event under a new id"
        )
    return EventResult(event.event_id, "waiting" if first.outcome == "waiting" else "replayed")
