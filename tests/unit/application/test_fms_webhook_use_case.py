"""apply_fms_event with the FMS protocol: unsettled calls, live holds, replays (memory adapters)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from uuid import uuid4

import pytest

from adapters.fms_faults import FmsFault
from adapters.memory.worker_lock import MemoryWorkerLock
from application.backoff import Backoff
from application.errors import FmsOutcomeUnknown
from application.fms_events import FmsEventType, FmsRequestEvent
from application.fms_waiting_events import apply_waiting_events
from application.fms_webhook import FmsEventDeferred, apply_fms_event
from application.records import OperationOutcome
from application.recovery import settle_pending
from domain.values import FmsState, Status
from tests.unit.application.scheduler_world import MONDAY, NOW, World


def approved(fms_id: int, event_id: str = "e-1", activity_id: int = 9100) -> FmsRequestEvent:
    """An approval of the FMS request."""
    return FmsRequestEvent(event_id, FmsEventType.APPROVED, fms_id, activity_id=activity_id)


async def apply(world: World, event: FmsRequestEvent) -> str:
    """Apply the event; its outcome."""
    return (await apply_fms_event(event, uow_factory=world.uow_factory, clock=world.clock)).outcome


async def test_an_approval_settles_an_unrequest_left_unknown(world: World) -> None:
    aid = await world.add_requested()
    fms_id = (await world.get(aid)).fms_request_id
    assert fms_id is not None
    world.fms.fail_next(FmsFault.HANG)
    with pytest.raises(FmsOutcomeUnknown):
        await world.unrequest(aid)
    assert await apply(world, approved(fms_id)) == "applied"
    a = await world.get(aid)
    assert (a.status, a.activity_id, a.fms_state, a.pending) == (Status.ACTIVE, 9100, FmsState.NONE, None)
    last = (await world.ops(aid))[-1]
    assert last.outcome is OperationOutcome.REFUSED  # the delete did not happen: FMS approved first
    assert "superseded" in (last.error or "")


async def test_a_rejection_finishes_an_unrequest_left_unknown(world: World) -> None:
    aid = await world.add_requested()
    fms_id = (await world.get(aid)).fms_request_id
    assert fms_id is not None
    world.fms.fail_next(FmsFault.HANG)
    with pytest.raises(FmsOutcomeUnknown):
        await world.unrequest(aid, Status.PLANNED)
    rejected = FmsRequestEvent("e-2", FmsEventType.REJECTED, fms_id)
    assert await apply(world, rejected) == "applied"
    a = await world.get(aid)
    assert (a.status, a.fms_state, a.fms_request_id, a.pending) == (Status.PLANNED, FmsState.NONE, None, None)
    assert (await world.ops(aid))[-1].outcome is OperationOutcome.SUCCESS


async def test_a_call_a_live_process_holds_is_left_alone_and_the_event_not_remembered(world: World) -> None:
    aid = await world.add_requested()
    a = await world.get(aid)
    assert a.fms_request_id is not None
    other = uuid4()
    op = uuid4()
    a.begin_unrequest(op)
    a.pending = replace(a.pending, held_by=other) if a.pending else None
    async with world.uow_factory() as uow:
        await uow.holds.renew(other, "other-replica", NOW + timedelta(minutes=2), now=NOW)
        await uow.assignments.update(a)
    with pytest.raises(FmsEventDeferred):
        await apply(world, approved(a.fms_request_id))
    after = await world.get(aid)
    assert (after.status, after.fms_state) == (Status.REQUESTED, FmsState.DELETING)
    async with world.uow_factory() as uow:
        assert await uow.fms_events.get("e-1") is None  # FMS retries; then it applies
        after.pending = None
        after.fms_state = FmsState.OPEN
        await uow.assignments.update(after)  # (the holder settled it: the request still open)
    assert await apply(world, approved(a.fms_request_id)) == "applied"


async def test_an_event_applies_once(world: World) -> None:
    aid = await world.add_requested()
    fms_id = (await world.get(aid)).fms_request_id
    assert fms_id is not None
    assert await apply(world, FmsRequestEvent("e-3", FmsEventType.CANCELLED, fms_id)) == "applied"
    assert await apply(world, FmsRequestEvent("e-3", FmsEventType.CANCELLED, fms_id)) == "replayed"
    async with world.uow_factory() as uow:
        events = await uow.reconciliation.events(aid)
    assert [e.kind for e in events] == ["cancelled"]


async def test_an_activity_another_assignment_holds_is_not_given_twice(world: World) -> None:
    first, second = await world.add_requested(), await world.add_requested(start=MONDAY + timedelta(days=14))
    fms_first, fms_second = (await world.get(first)).fms_request_id, (await world.get(second)).fms_request_id
    assert fms_first is not None
    assert fms_second is not None
    assert await apply(world, approved(fms_first, "e-a", activity_id=9200)) == "applied"
    assert await apply(world, approved(fms_second, "e-b", activity_id=9200)) == "unchanged"
    assert (await world.get(second)).status is Status.REQUESTED


async def test_an_event_before_the_create_outcome_waits_and_applies_once_it_is_stored(world: World) -> None:
    """FMS answers the create and pushes its rejection before the outcome is stored: the event waits,
    and apply_waiting_events (called where outcomes are stored) applies it."""
    aid = await world.add()
    early = FmsRequestEvent("e-early", FmsEventType.REJECTED, 5000)  # the id FMS is about to answer
    assert await apply(world, early) == "waiting"
    await world.request(aid)
    assert (await world.get(aid)).fms_request_id == 5000
    [result] = await apply_waiting_events(5000, uow_factory=world.uow_factory, clock=world.clock)
    assert (result.event_id, result.outcome) == ("e-early", "applied")
    a = await world.get(aid)
    assert (a.status, a.fms_state, a.fms_request_id) == (Status.PLANNED, FmsState.NONE, None)
    assert await apply_waiting_events(5000, uow_factory=world.uow_factory, clock=world.clock) == []
    assert await apply(world, early) == "replayed"


async def test_an_event_waits_until_recovery_finds_the_request(world: World) -> None:
    aid = await world.add()
    world.fms.fail_next(FmsFault.COMMIT_THEN_FAIL)  # FMS created it, then answered 500
    with pytest.raises(FmsOutcomeUnknown):
        await world.request(aid)
    [fms_id] = world.fms.requests
    assert await apply(world, approved(fms_id, "e-soon", activity_id=9200)) == "waiting"
    world.clock.advance(timedelta(minutes=3))  # past the quiet time
    report = await settle_pending(
        world.ports, lock=MemoryWorkerLock(), finder=world.fms, backoff=Backoff(rng=random.Random(1))
    )
    assert report.settled == 1
    a = await world.get(aid)
    assert (a.status, a.activity_id, a.fms_state) == (Status.ACTIVE, 9200, FmsState.NONE)
    async with world.uow_factory() as uow:
        remembered = await uow.fms_events.get("e-soon")
    assert remembered is not None
    assert remembered.outcome == "applied"


async def test_waiting_events_of_every_request_are_swept(world: World) -> None:
    """The recovery worker's sweep: what an outcome path did not apply (a crash between storing the
    outcome and applying, or a race with the event's own commit) applies on the next pass."""
    aid, other = await world.add(), await world.add_requested(start=MONDAY + timedelta(days=14))
    assert await apply(world, approved(5001, "e-for-5001", activity_id=9300)) == "waiting"
    assert await apply(world, approved(777, "e-never", activity_id=9301)) == "waiting"
    await world.request(aid)
    assert (await world.get(aid)).fms_request_id == 5001
    results = await apply_waiting_events(None, uow_factory=world.uow_factory, clock=world.clock)
    assert [(r.event_id, r.outcome) for r in results] == [("e-for-5001", "applied")]
    assert (await world.get(aid)).status is Status.ACTIVE
    assert (await world.get(other)).status is Status.REQUESTED
    async with world.uow_factory() as uow:
        never = await uow.fms_events.get("e-never")
    assert never is not None
    assert never.outcome == "waiting"  # nobody holds 777: it keeps waiting
