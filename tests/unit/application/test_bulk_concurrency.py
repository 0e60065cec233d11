"""Bulk FMS calls: bounded concurrency, progress as items finish, and failures that stay per item."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from types import TracebackType
from typing import Self

import pytest

from adapters.memory.fms_gateway import MemoryFmsGateway
from adapters.memory.unit_of_work import MemoryUnitOfWork, MemoryUnitOfWorkFactory
from application.bulk import BulkAction, BulkSettings, start_bulk
from application.errors import FmsOutcomeUnknown, OutcomeNotRecorded
from application.port_errors import StorageUnavailable
from application.ports import FmsAnswer
from application.protocol.holds import Holder, renew_hold
from application.protocol.outcomes import store_owed
from application.protocol.ports import ProtocolPorts
from application.records import OperationOutcome
from domain.fms_request import VehicleRequest
from domain.values import FmsState, Status
from tests.unit.application.bulk_support import CountingFms, bulk, start, state
from tests.unit.application.scheduler_world import VIN_A, World, day


async def weekly(world: World, count: int, *, requested: bool = False) -> list[int]:
    """count back-to-back week-long assignments of VIN_A (each hands over to the next)."""
    add = world.add_requested if requested else world.add
    return [await add(VIN_A, start=day(7 * week)) for week in range(count)]


@pytest.mark.parametrize("limit", [1, 4])
async def test_fms_calls_never_exceed_the_concurrency_limit(world: World, limit: int) -> None:
    ids = await weekly(world, 12)
    fms = CountingFms(world.fms)

    report = await bulk(world, BulkAction.REQUEST, ids, fms=fms, settings=BulkSettings(max_concurrency=limit))

    assert fms.most_in_flight == limit
    assert report.succeeded == 12
    deleted = await bulk(world, BulkAction.DELETE, ids, fms=fms, settings=BulkSettings(max_concurrency=limit))
    assert fms.most_in_flight == limit
    assert deleted.succeeded == 12
    assert world.fms.requests == {}


async def test_progress_arrives_item_by_item_then_the_report_in_input_order(world: World) -> None:
    ids = await weekly(world, 5)
    run = await start(world, BulkAction.REQUEST, [404, *ids])

    seen = [r async for r in run.results()]
    report = await run.report()

    assert seen[0].assignment_id == 404  # decided before any FMS call
    assert sorted(r.index for r in seen) == list(range(6))
    assert [r.assignment_id for r in report.results] == [404, *ids]
    assert report.succeeded == 5


class BrokenFms:
    """An FMS gateway with a bug: every create raises something that is not a port error."""

    async def create_request(self, request: VehicleRequest) -> FmsAnswer:
        """Fail unexpectedly."""
        raise RuntimeError("bug in the gateway")

    async def delete_request(self, fms_request_id: int) -> FmsAnswer:
        """Fail unexpectedly."""
        raise RuntimeError("bug in the gateway")


async def test_an_unexpected_gateway_error_counts_as_ambiguous() -> None:
    world = await World().seed()
    (aid,) = await weekly(world, 1)

    report = await bulk(world, BulkAction.REQUEST, [aid], fms=BrokenFms())

    assert isinstance(report.results[0].error, FmsOutcomeUnknown)
    assert await state(world, aid) == (Status.PLANNED, FmsState.UNKNOWN, False)


class FailingUnitOfWork(MemoryUnitOfWork):
    """A unit of work whose database is gone."""

    async def __aenter__(self) -> Self:
        """Fail as an unreachable database does."""
        raise StorageUnavailable("database error while beginning a transaction: connection refused")

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Nothing was begun."""


class DatabaseLostAfter(MemoryUnitOfWorkFactory):
    """Memory units of work that fail once `healthy` have been made."""

    def __init__(self, healthy: int) -> None:
        super().__init__()
        self.healthy = healthy

    def __call__(self) -> MemoryUnitOfWork:
        """A working unit of work, or a failing one once the budget is spent."""
        self.healthy -= 1
        return super().__call__() if self.healthy >= 0 else FailingUnitOfWork(self.store)


async def test_an_answer_the_database_does_not_take_is_kept_and_stored_once_it_does() -> None:
    world = await World(uow_factory=DatabaseLostAfter(healthy=100)).seed()
    ids = await weekly(world, 2)
    factory = world.uow_factory
    assert isinstance(factory, DatabaseLostAfter)
    await renew_hold(world.holder, uow_factory=factory, clock=world.clock)  # the heartbeat's lease
    factory.healthy = 1  # the intents commit, the outcomes cannot

    report = await bulk(world, BulkAction.REQUEST, ids)

    assert [type(r.error) for r in report.results] == [OutcomeNotRecorded, OutcomeNotRecorded]
    assert "stores it as soon as the database answers" in str(report.results[0].error)
    assert len(world.holder.outbox) == 2
    assert not world.holder.storage_ok.is_set()
    factory.healthy = 100
    for assignment_id in ids:
        assert await state(world, assignment_id) == (Status.PLANNED, FmsState.CREATING, False)
    assert len(world.fms.requests) == 2  # FMS holds them, and this process knows their ids

    assert await store_owed(world.ports) == 2  # the heartbeat, once the database is back
    assert len(world.holder.outbox) == 0
    for assignment_id in ids:
        assert await state(world, assignment_id) == (Status.REQUESTED, FmsState.OPEN, False)


class WatchedFms(CountingFms):
    """The sandbox FMS with latency, noting whether the process still kept an unstored answer when
    each call was sent."""

    def __init__(self, inner: MemoryFmsGateway, holder: Holder) -> None:
        super().__init__(inner, latency=0.01)
        self.holder = holder
        self.sent_while_owing = 0

    async def create_request(self, request: VehicleRequest) -> FmsAnswer:
        """Note, then create."""
        self.sent_while_owing += bool(self.holder.outbox)
        return await super().create_request(request)


async def test_queued_calls_wait_while_storage_fails_and_go_once_the_heartbeat_gets_through() -> None:
    world = await World(uow_factory=DatabaseLostAfter(healthy=100)).seed()
    ids = await weekly(world, 4)
    factory = world.uow_factory
    assert isinstance(factory, DatabaseLostAfter)
    await renew_hold(world.holder, uow_factory=factory, clock=world.clock)
    fms = WatchedFms(world.fms, world.holder)
    factory.healthy = 1  # the intents commit; no outcome can be stored
    run = await start_bulk(
        BulkAction.REQUEST,
        ids,
        actor=world.actor,
        ports=replace(world.ports, fms=fms),
        request_settings=world.settings,
        bulk_settings=BulkSettings(max_concurrency=1),
    )
    await until(lambda: world.holder.outbox, what="an answer kept")
    await until(lambda: fms.in_flight == 0, what="the calls under way to end")
    sent = len(world.fms.requests)
    assert sent < len(ids)  # the queue waits for the database
    factory.healthy = 100
    await renew_hold(world.holder, uow_factory=factory, clock=world.clock)  # the heartbeat gets through
    report = await run.report()
    assert not report.results[0].success  # its answer was kept, then stored by the heartbeat
    assert all(r.success for r in report.results[sent:])  # sent once the database was back
    assert fms.sent_while_owing == 0
    assert len(world.fms.requests) == len(ids)
    assert len(world.holder.outbox) == 0
    for assignment_id in ids:
        assert await state(world, assignment_id) == (Status.REQUESTED, FmsState.OPEN, False)


async def until(check: Callable[[], object], *, what: str) -> None:
    """Let the loop run until check() is true (tasks of this test only; no real time is waited on)."""
    for _ in range(10_000):
        if check():
            return
        await asyncio.sleep(0.001)
    raise AssertionError(f"{what} did not happen")


class HeldFms:
    """The sandbox FMS, holding every call until released."""

    def __init__(self, inner: MemoryFmsGateway) -> None:
        self.inner = inner
        self.release = asyncio.Event()

    async def create_request(self, request: VehicleRequest) -> FmsAnswer:
        """Wait, then create."""
        await self.release.wait()
        return await self.inner.create_request(request)

    async def delete_request(self, fms_request_id: int) -> FmsAnswer:
        """Wait, then delete."""
        await self.release.wait()
        return await self.inner.delete_request(fms_request_id)


async def test_an_assignment_that_moved_on_during_the_call_is_left_as_it_is(world: World) -> None:
    ids = await weekly(world, 2)
    fms = HeldFms(world.fms)
    run = await start_bulk(
        BulkAction.REQUEST,
        ids,
        actor=world.actor,
        ports=ProtocolPorts(world.uow_factory, fms, world.clock, world.holder),
        request_settings=world.settings,
        bulk_settings=BulkSettings(),
    )
    async with world.uow_factory() as uow:  # a sync sees the loan approved while FMS is answering
        moved = await uow.assignments.get(ids[0])
        assert moved is not None
        moved.activate(activity_id=4242)
        await uow.assignments.update(moved)
    fms.release.set()

    report = await run.report()

    assert [type(r.error).__name__ if r.error else None for r in report.results] == [
        "InvalidTransition",
        None,
    ]
    assert await state(world, ids[0]) == (Status.ACTIVE, FmsState.NONE, False)
    assert [op.outcome for op in await world.ops(ids[0])] == [OperationOutcome.SUCCESS]  # the call is audited
