"""The sync on real PostgreSQL: one run across processes, atomic swaps, names kept, runs recorded."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from adapters.memory.clock import FixedClock
from adapters.postgres.db import PgPool
from adapters.postgres.pool import create_pool
from adapters.postgres.report_loader import PostgresReportLoader
from adapters.postgres.sync_runs import PostgresSyncLock, PostgresSyncRunLog
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.errors import SyncAlreadyRunning
from application.sync.load import load_report
from application.sync.records import LoadPolicy, ReportName
from application.sync.run import SyncRunner
from application.sync.specs import SPECS
from tests.pg_support import DatabaseFactory
from tests.sync_support import BytesSource, DictSources, GatedSource, fixture_bytes, fixture_sources

pytestmark = pytest.mark.postgres
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
_NAMES = """
SELECT array_agg(name ORDER BY name) FROM (
    SELECT indexname AS name FROM pg_indexes WHERE tablename = $1
    UNION ALL SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass
) n
"""


def runner(pool: PgPool, sources: DictSources | None = None) -> SyncRunner:
    """A runner as one process of the service would have it."""
    return SyncRunner(
        sources=sources or fixture_sources(),
        loader=PostgresReportLoader(pool),
        runs=PostgresSyncRunLog(pool),
        lock=PostgresSyncLock(pool),
        uow_factory=PostgresUnitOfWorkFactory(pool),
        clock=FixedClock(NOW),
        policy=LoadPolicy(),
    )


async def test_a_second_process_is_refused_while_the_first_runs_and_records_nothing(pg_dsn: str) -> None:
    pools = [await create_pool(pg_dsn, min_size=1, max_size=4) for _ in range(2)]
    gated = GatedSource(fixture_bytes(ReportName.VEHICLES))
    held = runner(pools[0], DictSources({ReportName.VEHICLES: gated}))
    try:
        first = asyncio.create_task(held.trigger(trigger="p0"))
        await asyncio.wait_for(gated.reading.wait(), timeout=30)
        with pytest.raises(SyncAlreadyRunning) as refused:
            await asyncio.wait_for(runner(pools[1]).trigger(trigger="p1"), timeout=30)
        gated.gate.set()
        run = await asyncio.wait_for(first, timeout=60)
        assert refused.value.run_id == run.run_id
        async with pools[0].acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM sync_runs") == 1
        stored = await PostgresSyncRunLog(pools[1]).get(run.run_id)
        assert stored is not None
        assert stored.status == "finished"
        assert [(r.report, r.rows_loaded) for r in stored.results] == [
            (r.report, r.rows_loaded) for r in run.results
        ]
        assert stored.reconciliation == run.reconciliation
        again = await runner(pools[1]).trigger(trigger="p1")  # free again: the other process runs
        assert again.run_id != run.run_id
    finally:
        gated.gate.set()
        for pool in pools:
            await pool.close()


async def test_the_running_sync_records_itself_on_the_lock_session(pg_dsn: str) -> None:
    """A pool of one: the lock's connection is the only one, and the run's bookkeeping needs no other."""
    pool = await create_pool(pg_dsn, min_size=1, max_size=1, acquire_timeout=5)
    try:
        lock = PostgresSyncLock(pool)
        async with lock.try_hold() as runs:
            assert runs is not None
            run = await runs.start("manual", NOW)
            run.finished_at, run.status = NOW, "finished"
            await runs.finish(run)
        stored = await PostgresSyncRunLog(pool).get(run.run_id)
        assert stored is not None
        assert stored.status == "finished"
    finally:
        await pool.close()


async def test_a_swap_keeps_index_and_constraint_names(pg_pool: PgPool) -> None:
    async with pg_pool.acquire() as conn:
        before = {t: await conn.fetchval(_NAMES, t) for t in ("vehicles", "loan_history")}
    loader = PostgresReportLoader(pg_pool)
    for report in (ReportName.VEHICLES, ReportName.LOAN_HISTORY, ReportName.VEHICLES):
        result = await load_report(
            SPECS[report], BytesSource(fixture_bytes(report)), loader=loader, policy=LoadPolicy()
        )
        assert result.success, result
    async with pg_pool.acquire() as conn:
        after = {t: await conn.fetchval(_NAMES, t) for t in ("vehicles", "loan_history")}
        leftovers = await conn.fetchval("SELECT count(*) FROM pg_class WHERE relname LIKE '%\\_\\_sync%'")
    assert after == before
    assert leftovers == 0


async def test_readers_see_the_old_rows_or_the_new_never_an_empty_table(pg_pool: PgPool) -> None:
    loader = PostgresReportLoader(pg_pool)
    small = fixture_bytes(ReportName.LOAN_HISTORY)
    big = b"".join(
        f"{i}.0,VIN{i:014d},1.0,Audi,A4,2024,A4,01/02/25,01/09/25,1.0,LA,N,,W\n".encode() for i in range(3000)
    )
    seen: set[int] = set()
    done = asyncio.Event()

    async def read() -> None:
        async with pg_pool.acquire() as conn:
            while not done.is_set():
                seen.add(await conn.fetchval("SELECT count(*) FROM loan_history"))
                await asyncio.sleep(0)

    reader = asyncio.create_task(read())
    try:
        for data in (small, big, small, big):
            result = await load_report(
                SPECS[ReportName.LOAN_HISTORY], BytesSource(data, chunk=4096), loader=loader,
                policy=LoadPolicy(), force=True,
            )  # fmt: skip
            assert result.success, result
    finally:
        done.set()
        await reader
    assert seen <= {0, 3, 3000}
    assert seen >= {3, 3000}


async def test_runs_left_running_by_a_dead_process_are_marked_interrupted(
    pg_database_factory: DatabaseFactory,
) -> None:
    dsn = await pg_database_factory()
    pool = await create_pool(dsn, min_size=1, max_size=2)
    try:
        log = PostgresSyncRunLog(pool)
        dead = await log.start("schedule", NOW)
        assert (await log.latest()) is None
        assert (await log.latest(finished=False)) is not None
        await log.start("manual", NOW)
        interrupted = await log.get(dead.run_id)
        assert interrupted is not None
        assert interrupted.status == "interrupted"
        assert interrupted.error == "the process running it stopped"
    finally:
        await pool.close()
