"""Use-case: apply the FMS events that waited for their request to be known.

FMS may push an approval or a rejection before the create's outcome is stored (its answer and the
event race), or while the create's outcome is unknown. Such an event is kept `waiting`
(fms_webhook.py). Whatever settles an operation with an FMS request id (the protocol's outcome
writer, the recovery worker's lookup, a person linking it, the sweep adopting it) then applies the
events that waited for that id; the recovery worker also sweeps every waiting event each pass, so an
event whose own commit raced the outcome's is applied within one pass.

Invariants: a waiting event applies at most once (its row is locked and its outcome written in the
same transaction as the change); one a live process holds a call on keeps waiting.
"""

from __future__ import annotations

from datetime import datetime

from application.fms_events import EventResult
from application.fms_webhook import FmsEventDeferred, apply_event_in
from application.ports import Clock, UnitOfWork, UnitOfWorkFactory

SWEEP_LIMIT = 100


async def apply_waiting_in(
    uow: UnitOfWork, fms_request_id: int | None, now: datetime, *, limit: int = SWEEP_LIMIT
) -> list[EventResult]:
    """Inside the caller's transaction: apply the events waiting for that request id (every request's
    when None), oldest first; what applied is returned, what still waits is left as it was."""
    done = []
    for received in await uow.fms_events.waiting(fms_request_id, limit=limit):
        try:
            result = await apply_event_in(uow, received.as_event(), now)
        except FmsEventDeferred:
            continue  # a live process holds a call on it: its outcome path applies it later
        if result.outcome != "waiting":
            await uow.fms_events.record_outcome(received.event_id, result.outcome)
            done.append(result)
    return done


async def apply_waiting_events(
    fms_request_id: int | None, *, uow_factory: UnitOfWorkFactory, clock: Clock
) -> list[EventResult]:
    """In one transaction of its own: apply the events waiting for that FMS request id (None: every
    request's, the recovery worker's sweep); call it after an outcome with a request id is stored."""
    async with uow_factory() as uow:
        return await apply_waiting_in(uow, fms_request_id, clock.now())
