"""Use-cases of the sync on the memory adapters: a run, its record, and the reconciliation it triggers."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

from adapters.memory.clock import FixedClock
from adapters.memory.report_loader import MemoryReportLoader
from adapters.memory.sync_runs import MemorySyncLock, MemorySyncRunLog
from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from application.records import FmsOperation, OperationOutcome
from application.sync.records import FailureKind, LoadPolicy, ReportName
from application.sync.run import SyncRunner
from domain.assignment import Assignment
from domain.values import FmsState, Status
from tests.sync_support import BytesSource, DictSources, fixture_sources

VIN, PERSON = "WAUZZZ8K9DA123456", 3001  # out on activity 800001, 12/01/26..12/08/26, in the fixtures
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def runner(factory: MemoryUnitOfWorkFactory, sources: DictSources | None = None) -> SyncRunner:
    """A runner over memory adapters and the fixture reports."""
    return SyncRunner(
        sources=sources or fixture_sources(),
        loader=MemoryReportLoader(factory.store),
        runs=MemorySyncRunLog(),
        lock=MemorySyncLock(),
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


async def test_a_second_trigger_waits_and_answers_with_the_running_run() -> None:
    factory = MemoryUnitOfWorkFactory()
    sync = runner(factory)
    first, second = await asyncio.gather(sync.trigger(trigger="a"), sync.trigger(trigger="b"))
    assert first.run_id == second.run_id == 1
    assert (await sync.runs.latest()) is not None


async def test_a_run_waits_for_the_running_one_then_runs_its_own() -> None:
    factory = MemoryUnitOfWorkFactory()
    sync = runner(factory)
    upload = [(ReportName.CURRENT_ACTIVITY, BytesSource(b"900001,3001,VINX,Loan,01/01/27,01/08/27,,,\n"))]
    full, own = await asyncio.gather(
        sync.trigger(trigger="a"), sync.run(upload, trigger="upload", force=True)
    )
    assert (full.run_id, own.run_id) == (1, 2)
    assert [a.activity_id for a in factory.store.tables.current_activities] == [900001]
