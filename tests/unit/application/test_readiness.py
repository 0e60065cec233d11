"""check_readiness on the memory adapters: the lease's age and operations held with no call under way."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from adapters.memory.readiness import MemoryReadinessProbe
from application.protocol.holds import renew_hold
from application.readiness import check_readiness
from application.records import FmsOperation, OperationOutcome
from tests.unit.application.scheduler_world import World


async def probe_of(world: World) -> MemoryReadinessProbe:
    """The world's probe, once the database confirmed the world's lease (as the heartbeat does)."""
    await renew_hold(world.holder, uow_factory=world.uow_factory, clock=world.clock)
    return MemoryReadinessProbe(world.uow_factory)


async def test_a_lease_never_confirmed_is_not_ready(world: World) -> None:
    probe = MemoryReadinessProbe(world.uow_factory)
    found = await check_readiness(probe=probe, holder=world.holder, clock=world.clock, calls_queued=False)
    assert not found.ready
    assert "not confirmed" in found.reasons[0]


async def test_a_fresh_lease_and_nothing_held_is_ready(world: World) -> None:
    probe = await probe_of(world)
    found = await check_readiness(probe=probe, holder=world.holder, clock=world.clock, calls_queued=False)
    assert (found.ready, found.writable, found.held_without_call) == (True, True, 0)
    assert found.lease_age_seconds == 0


async def test_a_lease_not_confirmed_for_two_renewals_is_not_ready(world: World) -> None:
    probe = await probe_of(world)
    world.clock.advance(world.holder.renew_every * 2)
    assert (
        await check_readiness(probe=probe, holder=world.holder, clock=world.clock, calls_queued=False)
    ).ready
    world.clock.advance(world.holder.renew_every)
    found = await check_readiness(probe=probe, holder=world.holder, clock=world.clock, calls_queued=False)
    assert not found.ready
    assert "last confirmed" in found.reasons[0]
    await renew_hold(world.holder, uow_factory=world.uow_factory, clock=world.clock)
    assert (
        await check_readiness(probe=probe, holder=world.holder, clock=world.clock, calls_queued=False)
    ).ready


async def test_an_operation_held_past_the_longest_call_with_no_call_under_way_is_not_ready(
    world: World,
) -> None:
    """What the outcome writer leaves when it drops an answer it could not store and keeps the hold."""
    probe = await probe_of(world)
    aid = await world.add()
    async with world.uow_factory() as uow:
        a = await uow.assignments.get(aid, for_update=True)
        assert a is not None
        op = uuid4()
        a.begin_request(op)
        a.hold(world.holder.holder_id)
        await uow.operations.record_intent(FmsOperation(op, aid, "create", "create", "t", world.clock.now()))
        await uow.assignments.update(a)
    found = await check_readiness(probe=probe, holder=world.holder, clock=world.clock, calls_queued=False)
    assert found.ready  # its call may be under way still
    world.clock.advance(world.holder.longest_call + timedelta(seconds=1))
    await renew_hold(world.holder, uow_factory=world.uow_factory, clock=world.clock)
    found = await check_readiness(probe=probe, holder=world.holder, clock=world.clock, calls_queued=False)
    assert (found.ready, found.held_without_call) == (False, 1)
    assert "no call under way" in found.reasons[0]
    queued = await check_readiness(probe=probe, holder=world.holder, clock=world.clock, calls_queued=True)
    assert queued.ready  # a bulk under way holds its queue rightly
    async with world.uow_factory() as uow:  # settled, for the end-of-test invariants
        a = await uow.assignments.get(aid, for_update=True)
        assert a is not None
        a.request_refused(op, "not sent")
        await uow.assignments.update(a)
        await uow.operations.record_outcome(
            op, outcome=OperationOutcome.NOT_SENT, finished_at=world.clock.now()
        )
