"""The recovery worker applies the FMS events that waited for their request, every pass."""

from __future__ import annotations

from adapters.memory.worker_lock import MemoryWorkerLock
from application.fms_events import FmsEventType, FmsRequestEvent
from application.fms_webhook import apply_fms_event
from domain.values import FmsState, Status
from entrypoints.settings.service import RecoverySettings
from entrypoints.workers.recovery import RecoveryWorker
from tests.unit.application.scheduler_world import World


async def test_a_pass_applies_an_event_whose_request_became_known_meanwhile() -> None:
    """An outcome path that stored the create's request id without applying the waiting events (a
    crash between the two, or the event's own commit racing the outcome's): the next pass does."""
    world = await World().seed()
    aid = await world.add()
    rejected = FmsRequestEvent("e-raced", FmsEventType.REJECTED, 5000)
    early = await apply_fms_event(rejected, uow_factory=world.uow_factory, clock=world.clock)
    assert early.outcome == "waiting"
    await world.request(aid)  # FMS answers 5000; the outcome is stored
    worker = RecoveryWorker(world.ports, RecoverySettings(), lock=MemoryWorkerLock(), finder=world.fms)
    await worker.run_once()
    a = await world.get(aid)
    assert (a.status, a.fms_state, a.fms_request_id) == (Status.PLANNED, FmsState.NONE, None)
    async with world.uow_factory() as uow:
        remembered = await uow.fms_events.get("e-raced")
    assert remembered is not None
    assert remembered.outcome == "applied"
