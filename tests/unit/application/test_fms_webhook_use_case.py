"""apply_fms_event with the FMS protocol: unsettled calls, live holds, replays (memory adapters)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from uuid import uuid4

import pytest

from adapters.fms_faults import FmsFault
from application.errors import FmsOutcomeUnknown
from application.fms_events import FmsEventType, FmsRequestEvent
from application.fms_webhook import FmsEventDeferred, apply_fms_event
from application.records import OperationOutcome
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
