"""Use-cases of the sync on the memory adapters: a run, its record, and the reconciliation it triggers."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from adapters.memory.clock import FixedClock
from adapters.memory.report_loader import MemoryReportLoader
from adapters.memory.sync_runs import MemorySyncLock, MemorySyncRunLog
from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from application.errors import SyncAlreadyRunning
from application.records import FmsOperation, OperationOutcome
from application.sync.records import FailureKind, LoadPolicy, ReportName, SyncRun
from application.sync.run import SyncRunner
from domain.assignment import Assignment
from domain.values import FmsState, Status
from tests.sync_support import BytesSource, DictSources, GatedSource, fixture_bytes, fixture_sources

VIN, PERSON = "WAUZZZ8K9DA123456", 3001  # out on activity 800001, 12/01/26..12/08/26, in the fixtures
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def runner(factory: MemoryUnitOfWorkFactory, sources: DictSources | None = None) -> SyncRunner:
    """A runner over memory adapters and the fixture reports."""
    runs = MemorySyncRunLog()
    return SyncRunner(
        sources=sources or fixture_sources(),
        loader=MemoryReportLoader(factory.store),
        runs=runs,
        lock=MemorySyncLock(runs),
        uow_factory=factory,
        clock=FixedClock(NOW),
        policy=LoadPolicy(),
    )


async def add(factory: MemoryUnitOfWorkFactory, a: Assignment) -> int:
    """Store an assignment; its id."""
    async with factory() as uow:
        stored = await uow.assignments.add(a)
    assert stored.assignment_id is not None
    return stored.assignment_id


def requested(start: date, vin: str = VIN) -> Assignment:
    """A requested assignment of vin to PERSON for a week."""
    end = start + timedelta(days=7)
    return Assignment(
        vin, PERSON, "Los Angeles", start, end, Status.REQUESTED, fms_state=FmsState.OPEN, fms_request_id=55
    )


async def test_a_full_run_loads_everything_and_activates_the_approved_request() -> None:
    factory = MemoryUnitOfWorkFactory()
    approved = await add(factory, requested(date(2026, 12, 1)))
    unrelated = await add(factory, requested(date(2027, 2, 1)))  # same VIN and person, months later
    run = await runner(factory).trigger(trigger="test")
    assert [r.report for r in run.results] == list(ReportName)
    assert all(r.success for r in run.results)
    assert run.reconciliation is not None
    assert run.reconciliation.activated == [(approved, 800001)]
    async with factory() as uow:
        active = await uow.assignments.get(approved)
        waiting = await uow.assignments.get(unrelated)
        events = await uow.reconciliation.events(approved)
    assert active is not None
    assert active.status is Status.ACTIVE
    assert active.activity_id == 800001
    assert active.fms_request_id == 55
    assert active.fms_state is FmsState.NONE
    assert waiting is not None
    assert waiting.status is Status.REQUESTED
    assert [(e.kind, e.from_status, e.to_status, e.run_id) for e in events] == [
        ("activated", "requested", "active", 1)
    ]
    assert "current activity 800001" in events[0].reason


async def test_a_create_left_unknown_is_settled_by_the_report() -> None:
    factory = MemoryUnitOfWorkFactory()
    operation = uuid4()
    a = Assignment(VIN, PERSON, "Los Angeles", date(2026, 12, 1), date(2026, 12, 8), Status.MANUAL)
    a.begin_request(operation)
    a.request_outcome_unknown(operation, "timeout")
    assignment_id = await add(factory, a)
    async with factory() as uow:
        await uow.operations.record_intent(
            FmsOperation(operation, assignment_id, "create", "create", "alice", NOW)
        )
    await runner(factory).trigger(trigger="test")
    async with factory() as uow:
        settled = await uow.assignments.get(assignment_id)
        ops = await uow.operations.for_assignment(assignment_id)
    assert settled is not None
    assert settled.status is Status.ACTIVE
    assert settled.pending is None
    assert ops[0].outcome is OperationOutcome.SUCCESS
    assert "activity 800001" in (ops[0].error or "")


async def test_active_loans_complete_from_the_history_or_when_gone_and_over() -> None:
    factory = MemoryUnitOfWorkFactory()
    in_history = requested(date(2025, 1, 6), vin="1HGCM82633A004352")
    in_history.activate(700001)
    gone = requested(date(2026, 11, 1))
    gone.activate(799999)
    still_out = requested(date(2026, 12, 1))
    still_out.activate(800001)
    ids = [await add(factory, a) for a in (in_history, gone, still_out)]
    run = await runner(factory).trigger(trigger="test")
    assert run.reconciliation is not None
    assert run.reconciliation.completed == [(ids[0], 700001), (ids[1], 799999)]
    async with factory() as uow:
        statuses = [(await uow.assignments.get(i)).status for i in ids]  # type: ignore[union-attr]
    assert statuses == [Status.COMPLETED, Status.COMPLETED, Status.ACTIVE]


async def test_unconfigured_reports_are_reported_and_an_optional_one_is_skipped() -> None:
    factory = MemoryUnitOfWorkFactory()
    sources = DictSources({ReportName.VEHICLES: BytesSource(b"<html>oops</html>")})
    run = await runner(factory, sources).trigger(trigger="test")
    assert [r.report for r in run.results] == list(ReportName)[:5]
    assert run.results[0].failure is FailureKind.REJECTED
    assert {r.failure for r in run.results[1:]} == {FailureKind.NOT_CONFIGURED}
    assert run.reconciliation is None
    assert run.status == "finished"


Held = tuple[SyncRunner, GatedSource, asyncio.Task[SyncRun]]


async def held_runner(factory: MemoryUnitOfWorkFactory) -> Held:
    """A runner whose full sync is under way, held reading its gated vehicles report."""
    gated = GatedSource(fixture_bytes(ReportName.VEHICLES))
    sync = runner(factory, DictSources({ReportName.VEHICLES: gated}))
    first = asyncio.create_task(sync.trigger(trigger="a"))
    await asyncio.wait_for(gated.reading.wait(), timeout=10)
    return sync, gated, first


async def test_a_second_trigger_is_refused_at_once_naming_the_running_run() -> None:
    factory = MemoryUnitOfWorkFactory()
    sync, gated, first = await held_runner(factory)
    with pytest.raises(SyncAlreadyRunning) as refused:
        await asyncio.wait_for(sync.trigger(trigger="b"), timeout=10)
    assert refused.value.run_id == 1
    gated.gate.set()
    run = await asyncio.wait_for(first, timeout=10)
    assert (run.run_id, run.status) == (1, "finished")
    runs = await sync.runs.latest()
    assert runs is not None
    assert runs.run_id == 1  # the refused trigger recorded no run of its own


async def test_an_upload_while_a_sync_runs_is_refused_not_queued() -> None:
    factory = MemoryUnitOfWorkFactory()
    sync, gated, first = await held_runner(factory)
    upload = [(ReportName.CURRENT_ACTIVITY, BytesSource(b"900001,3001,VINX,Loan,01/01/27,01/08/27,,,\n"))]
    with pytest.raises(SyncAlreadyRunning) as refused:
        await asyncio.wait_for(sync.run(upload, trigger="upload", force=True), timeout=10)
    assert refused.value.run_id == 1
    gated.gate.set()
    await asyncio.wait_for(first, timeout=10)
    assert 900001 not in [a.activity_id for a in factory.store.tables.current_activities]
    own = await sync.run(upload, trigger="upload", force=True)  # once the sync is over, it runs
    assert own.run_id == 2
    assert [a.activity_id for a in factory.store.tables.current_activities] == [900001]
