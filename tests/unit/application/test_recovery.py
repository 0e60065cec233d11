"""The recovery pass settles what timeouts, 5xx answers and crashes left behind (memory adapters)."""

from __future__ import annotations

import random
from datetime import timedelta
from uuid import uuid4

import pytest

from adapters.fms_faults import FmsFault
from adapters.memory.worker_lock import MemoryWorkerLock
from application.backoff import Backoff
from application.errors import FmsOutcomeUnknown
from application.protocol.holds import renew_hold
from application.records import FmsOperation, OperationOutcome
from application.recovery import RecoveryReport, settle_pending
from application.resolve import needing_attention, resolve_operation
from application.resolve_check import FmsHoldsTheRequest
from domain.errors import FmsMayStillAct, InvalidTransition
from domain.values import FmsState, Resolution, Status
from tests.holder_support import LEASE, new_holder
from tests.unit.application.scheduler_world import World

STALE = timedelta(minutes=2)


async def recovery_pass(
    world: World, *, backoff: Backoff, lookup: bool = True, lock: MemoryWorkerLock | None = None
) -> RecoveryReport:
    """One recovery pass over the world's adapters (its FMS as the finder when lookup is on)."""
    return await settle_pending(
        world.ports, lock=lock or MemoryWorkerLock(), finder=world.fms if lookup else None, backoff=backoff
    )


async def settle(world: World, *, lookup: bool = True, backoff: Backoff | None = None) -> RecoveryReport:
    """One pass after the operations have gone stale."""
    world.clock.advance(STALE + timedelta(seconds=1))
    return await recovery_pass(world, lookup=lookup, backoff=backoff or Backoff(rng=random.Random(1)))


async def crash_during_create(world: World, assignment_id: int) -> None:
    """What a process killed between intent and outcome leaves: creating, a pending audit row, held
    by a process whose lease is no longer renewed."""
    op, crashed = uuid4(), new_holder("crashed-process")
    await renew_hold(crashed, uow_factory=world.uow_factory, clock=world.clock)
    async with world.uow_factory() as uow:
        a = await uow.assignments.get(assignment_id, for_update=True)
        assert a is not None
        a.begin_request(op)
        a.hold(crashed.holder_id)
        await uow.operations.record_intent(
            FmsOperation(
                operation_id=op,
                assignment_id=assignment_id,
                call="create",
                purpose="create",
                actor="alice",
                started_at=world.clock.now(),
            )
        )
        await uow.assignments.update(a)


async def test_commit_then_fail_create_is_found_by_reference(world: World) -> None:
    aid = await world.add()
    world.fms.fail_next(FmsFault.COMMIT_THEN_FAIL)
    with pytest.raises(FmsOutcomeUnknown):
        await world.request(aid)
    [held] = world.fms.requests
    report = await settle(world)
    a = await world.get(aid)
    assert (report.settled, a.status, a.fms_state, a.fms_request_id) == (
        1,
        Status.REQUESTED,
        FmsState.OPEN,
        held,
    )
    assert [(o.call, o.outcome) for o in await world.ops(aid)] == [
        ("create", OperationOutcome.AMBIGUOUS),
        ("lookup", OperationOutcome.SUCCESS),
    ]


async def test_create_that_never_reached_fms_goes_back_to_green(world: World) -> None:
    aid = await world.add(status=Status.MANUAL)
    world.fms.fail_next(FmsFault.HANG)
    with pytest.raises(FmsOutcomeUnknown):
        await world.request(aid)
    await settle(world)
    a = await world.get(aid)
    assert (a.status, a.fms_state, a.pending) == (Status.MANUAL, FmsState.NONE, None)
    assert a.last_error is not None
    assert "not created" in a.last_error
    assert world.fms.requests == {}
    await world.request(aid)  # and it can be requested again: exactly one request in FMS
    assert len(world.fms.requests) == 1


async def test_crash_without_lookup_is_marked_unknown_and_shown(world: World) -> None:
    aid = await world.add()
    await crash_during_create(world, aid)
    report = await settle(world, lookup=False)
    a = await world.get(aid)
    assert (report.left_unknown, a.fms_state, a.status) == (1, FmsState.UNKNOWN, Status.PLANNED)
    [op] = await world.ops(aid)
    assert op.outcome is OperationOutcome.AMBIGUOUS  # the orphaned intent is closed, not left pending
    assert world.fms.calls == []  # no create is ever re-sent blindly


async def test_crash_with_lookup_is_settled(world: World) -> None:
    aid = await world.add()
    await crash_during_create(world, aid)
    await settle(world)
    a = await world.get(aid)
    assert (a.fms_state, a.status) == (FmsState.NONE, Status.PLANNED)


async def test_ambiguous_unrequest_and_delete_are_retried(world: World) -> None:
    unreq, gone = await world.add_requested(), await world.add_requested(vin="4T1BF1FK5CU000002", days=2)
    world.fms.fail_next(FmsFault.HANG, FmsFault.COMMIT_THEN_FAIL)
    with pytest.raises(FmsOutcomeUnknown):
        await world.unrequest(unreq, Status.MANUAL)
    with pytest.raises(FmsOutcomeUnknown):
        await world.delete(gone)
    assert (await world.get(unreq)).fms_state is FmsState.DELETING
    report = await settle(world)
    assert report.settled == 2
    a, b = await world.get(unreq), await world.get(gone)
    assert (a.status, a.fms_state, a.fms_request_id) == (Status.MANUAL, FmsState.NONE, None)
    assert b.removed
    assert world.fms.requests == {}


async def test_failing_retry_backs_off_and_keeps_the_state(world: World) -> None:
    aid = await world.add_requested()
    world.fms.fail_next(FmsFault.HANG, FmsFault.HANG)
    with pytest.raises(FmsOutcomeUnknown):
        await world.delete(aid)
    backoff = Backoff(base_seconds=60, rng=random.Random(3))
    first = await settle(world, backoff=backoff)
    quiet = await recovery_pass(world, backoff=backoff)
    assert (first.settled, backoff.failures(aid)) == (0, 1)
    assert quiet.examined == 0  # an ambiguous retry is left quiet for one lease before the next
    second = await settle(world, backoff=backoff)
    assert second.deferred == 1 or second.settled == 1  # jitter may make it due again at once
    assert (await world.get(aid)).fms_state in (FmsState.DELETING, FmsState.NONE)


async def test_recent_operations_are_left_to_their_own_process(world: World) -> None:
    aid = await world.add()
    await crash_during_create(world, aid)
    report = await recovery_pass(world, backoff=Backoff())
    assert report.examined == 0
    assert (await world.get(aid)).fms_state is FmsState.CREATING
    await settle(world)  # settle it for the end-of-test invariants


async def test_only_one_pass_runs_at_a_time(world: World) -> None:
    lock = MemoryWorkerLock()
    async with lock.hold("fms-recovery"):
        report = await recovery_pass(world, lock=lock, backoff=Backoff())
    assert not report.ran


async def test_people_resolve_what_machines_could_not(world: World) -> None:
    linked, unsent = await world.add(), await world.add(vin="4T1BF1FK5CU000002", days=2)
    for aid in (linked, unsent):
        await crash_during_create(world, aid)
    await settle(world, lookup=False)
    with pytest.raises(FmsMayStillAct):  # the quiet time after the takeover: FMS may still act
        await resolve_operation(
            unsent,
            Resolution.NOT_SENT,
            fms_request_id=None,
            actor=world.actor,
            uow_factory=world.uow_factory,
            clock=world.clock,
        )
    world.clock.advance(LEASE)
    await resolve_operation(
        linked,
        Resolution.LINK,
        fms_request_id=4372,
        actor=world.actor,
        uow_factory=world.uow_factory,
        clock=world.clock,
    )
    await resolve_operation(
        unsent,
        Resolution.NOT_SENT,
        fms_request_id=None,
        actor=world.actor,
        uow_factory=world.uow_factory,
        clock=world.clock,
    )
    a, b = await world.get(linked), await world.get(unsent)
    assert (a.status, a.fms_state, a.fms_request_id) == (Status.REQUESTED, FmsState.OPEN, 4372)
    assert (b.status, b.fms_state) == (Status.PLANNED, FmsState.NONE)
    resolved = [o for o in await world.ops(linked) if o.call == "resolve"]
    assert [(o.actor, o.outcome) for o in resolved] == [("alice", OperationOutcome.SUCCESS)]
    assert await needing_attention(uow_factory=world.uow_factory, clock=world.clock) == []


async def test_a_resolution_must_fit_the_pending_operation(world: World) -> None:
    aid = await world.add()
    with pytest.raises(InvalidTransition):  # nothing pending
        await resolve_operation(
            aid,
            Resolution.NOT_SENT,
            fms_request_id=None,
            actor=world.actor,
            uow_factory=world.uow_factory,
            clock=world.clock,
        )
    await crash_during_create(world, aid)
    for wrong in (Resolution.DELETED, Resolution.STILL_OPEN):
        with pytest.raises(InvalidTransition):
            await resolve_operation(
                aid,
                wrong,
                fms_request_id=None,
                actor=world.actor,
                uow_factory=world.uow_factory,
                clock=world.clock,
            )
    with pytest.raises(InvalidTransition):  # linking needs an id
        await resolve_operation(
            aid,
            Resolution.LINK,
            fms_request_id=None,
            actor=world.actor,
            uow_factory=world.uow_factory,
            clock=world.clock,
        )
    waiting = await needing_attention(uow_factory=world.uow_factory, clock=world.clock)
    assert [h.assignment.assignment_id for h in waiting] == [aid]
    assert [o.call for o in waiting[0].operations] == ["create"]
    await settle(world)


async def test_not_sent_is_refused_when_fms_holds_the_request(world: World) -> None:
    acted, untouched = await world.add(), await world.add(vin="4T1BF1FK5CU000002", days=2)
    world.fms.fail_next(FmsFault.COMMIT_THEN_FAIL)
    with pytest.raises(FmsOutcomeUnknown):
        await world.request(acted)  # FMS created it, then answered 500
    world.fms.fail_next(FmsFault.HANG)
    with pytest.raises(FmsOutcomeUnknown):
        await world.request(untouched)  # FMS never saw it
    [held] = world.fms.requests
    world.clock.advance(LEASE)  # past the quiet time, when FMS can no longer act

    async def resolve(aid: int) -> object:
        return await resolve_operation(
            aid,
            Resolution.NOT_SENT,
            fms_request_id=None,
            actor=world.actor,
            uow_factory=world.uow_factory,
            clock=world.clock,
            finder=world.fms,
        )

    with pytest.raises(FmsHoldsTheRequest) as refused:
        await resolve(acted)
    assert refused.value.fms_request_id == held
    assert (await world.get(acted)).fms_state is FmsState.UNKNOWN  # nothing settled
    assert [(o.call, o.outcome, o.fms_request_id) for o in await world.ops(acted)][-1] == (
        "lookup",
        OperationOutcome.SUCCESS,
        held,
    )
    await resolve(untouched)  # FMS holds nothing for it: the person's word stands
    assert (await world.get(untouched)).fms_state is FmsState.NONE


async def test_a_refused_retry_does_not_prove_the_request_still_exists(world: World) -> None:
    """Found by the protocol state machine: the first delete acted, its retry was refused; the
    assignment must not go back to `open` on a request FMS no longer holds."""
    aid = await world.add_requested()
    world.fms.fail_next(FmsFault.COMMIT_THEN_FAIL)  # FMS deleted it, then answered 502
    with pytest.raises(FmsOutcomeUnknown):
        await world.unrequest(aid, Status.MANUAL)
    assert world.fms.requests == {}
    world.fms.fail_next(FmsFault.REFUSE)  # the retry is refused (422)
    report = await settle(world)
    a = await world.get(aid)
    assert (report.settled, a.status, a.fms_state) == (0, Status.REQUESTED, FmsState.DELETING)
    assert a.last_error is not None
    assert "retry refused" in a.last_error
    await settle(world, backoff=Backoff(base_seconds=0))  # a healthy FMS answers 404: done
    a = await world.get(aid)
    assert (a.status, a.fms_state, a.fms_request_id) == (Status.MANUAL, FmsState.NONE, None)
