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
from application.sync.load import load_report
from application.sync.records import LoadPolicy, ReportName
from application.sync.run import SyncRunner
from application.sync.specs import SPECS
from tests.pg_support import DatabaseFactory
from tests.sync_support import BytesSource, fixture_bytes, fixture_sources

pytestmark = pytest.mark.postgres
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
_NAMES = """
SELECT array_agg(name ORDER BY name) FROM (
    SELECT indexname AS name FROM pg_indexes WHERE tablename = $1
    UNION ALL SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass
) n
"""


def runner(pool: PgPool) -> SyncRunner:
    """A runner as one process of the service would have it."""
    return SyncRunner(
        sources=fixture_sources(),
        loader=PostgresReportLoader(pool),
        runs=PostgresSyncRunLog(pool),
        lock=PostgresSyncLock(pool),
        uow_factory=PostgresUnitOfWorkFactory(pool),
        clock=FixedClock(NOW),
        policy=LoadPolicy(),
    )


async def test_two_processes_triggering_at_once_make_one_run(pg_dsn: str) -> None:
    pools = [await create_pool(pg_dsn, min_size=1, max_size=4) for _ in range(2)]
    try:
        first, second = await asyncio.gather(
            *(runner(p).trigger(trigger=f"p{i}") for i, p in enumerate(pools))
        )
        assert first.run_id == second.run_id
        async with pools[0].acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM sync_runs") == 1
        stored = await PostgresSyncRunLog(pools[0]).get(first.run_id)
        assert stored is not None
        assert stored.status == "finished"
        assert [(r.report, r.rows_loaded) for r in stored.results] == [
            (r.report, r.rows_loaded) for r in first.results
        ]
        assert stored.reconciliation == first.reconciliation
    finally:
        for pool in pools:
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
