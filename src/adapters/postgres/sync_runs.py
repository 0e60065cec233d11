"""PostgresSyncRunLog (sync_runs, sync_run_reports) and PostgresSyncLock (a session advisory lock).

Nothing here waits for the lock: a session that finds it taken lets go of its connection at once. The
running sync records its run on the connection that holds the lock, so it never needs a second one
from the pool for its own bookkeeping.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import datetime
from typing import Any

from adapters.postgres.db import PgConnection, PgPool, Record
from adapters.postgres.errors import DRIVER_ERRORS, storage_errors
from application.sync.records import BadRow, FailureKind, ReconcileSummary, ReportName, ReportResult, SyncRun

# One bigint key for every process and replica ("ms-sync"); lock_vehicles and the worker locks use
# the two-int key space, which never overlaps the bigint one.
SYNC_LOCK_KEY = 0x6D732D73796E63
_RUN = "SELECT id, trigger, status, started_at, finished_at, error, reconciliation FROM sync_runs"
_REPORTS = (
    "SELECT report, success, failure, message, source, rows_read, rows_loaded, rows_rejected, "
    "duration_seconds, bad_rows FROM sync_run_reports WHERE run_id = $1 ORDER BY position"
)
_INSERT_REPORT = (
    "INSERT INTO sync_run_reports (run_id, position, report, success, failure, message, source, rows_read, "
    "rows_loaded, rows_rejected, duration_seconds, bad_rows) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb)"
)


def _result(row: Record) -> ReportResult:
    return ReportResult(
        report=ReportName(row["report"]),
        success=row["success"],
        message=row["message"],
        rows_read=row["rows_read"],
        rows_loaded=row["rows_loaded"],
        rows_rejected=row["rows_rejected"],
        duration_seconds=row["duration_seconds"],
        source=row["source"],
        failure=FailureKind(row["failure"]) if row["failure"] else None,
        bad_rows=[BadRow(b["line"], b["reason"]) for b in json.loads(row["bad_rows"])],
    )


def _summary(raw: str | None) -> ReconcileSummary | None:
    if raw is None:
        return None
    data: dict[str, Any] = json.loads(raw)
    return ReconcileSummary(
        activated=[(a, b) for a, b in data.get("activated", [])],
        completed=[(a, b) for a, b in data.get("completed", [])],
    )


class PostgresSyncRunLog:
    """Runs and their per-report results; each call is its own short transaction, on a pooled
    connection, or on the one session given (the sync lock's)."""

    def __init__(self, pool: PgPool, *, session: PgConnection | None = None) -> None:
        self._pool = pool
        self._session = session

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[PgConnection]:
        if self._session is not None:
            yield self._session
            return
        async with self._pool.acquire() as conn:
            yield conn

    async def start(self, trigger: str, started_at: datetime) -> SyncRun:
        """Insert a running run; runs left running (their process died) become interrupted."""
        with storage_errors("recording a sync run"):
            async with self._connection() as conn, conn.transaction():
                await conn.execute(
                    "UPDATE sync_runs SET status = 'interrupted', finished_at = $1, "
                    "error = coalesce(error, 'the process running it stopped') WHERE status = 'running'",
                    started_at,
                )
                run_id = await conn.fetchval(
                    "INSERT INTO sync_runs (trigger, started_at) VALUES ($1, $2) RETURNING id",
                    trigger,
                    started_at,
                )
        return SyncRun(run_id=run_id, trigger=trigger, started_at=started_at)

    async def finish(self, run: SyncRun) -> None:
        """Store the end, the error, the reconciliation and one row per report."""
        recon = run.reconciliation
        summary = None
        if recon is not None:
            summary = json.dumps({"activated": recon.activated, "completed": recon.completed})
        with storage_errors("recording a sync run"):
            async with self._connection() as conn, conn.transaction():
                await conn.execute(
                    "UPDATE sync_runs SET status = $2, finished_at = $3, error = $4, "
                    "reconciliation = $5::jsonb WHERE id = $1",
                    run.run_id, run.status, run.finished_at, run.error, summary,
                )  # fmt: skip
                await conn.execute("DELETE FROM sync_run_reports WHERE run_id = $1", run.run_id)
                await conn.executemany(
                    _INSERT_REPORT,
                    [
                        (
                            run.run_id, i, r.report.value, r.success,
                            r.failure.value if r.failure else None, r.message, r.source,
                            r.rows_read, r.rows_loaded, r.rows_rejected, r.duration_seconds,
                            json.dumps([{"line": b.line, "reason": b.reason} for b in r.bad_rows]),
                        )
                        for i, r in enumerate(run.results)
                    ],
                )  # fmt: skip

    async def _load(self, conn: PgConnection, row: Record | None) -> SyncRun | None:
        if row is None:
            return None
        results = [_result(r) for r in await conn.fetch(_REPORTS, row["id"])]
        return SyncRun(
            run_id=row["id"],
            trigger=row["trigger"],
            started_at=row["started_at"],
            finished_at=row["finished_at"],
            results=results,
            reconciliation=_summary(row["reconciliation"]),
            error=row["error"],
            status=row["status"],
        )

    async def latest(self, *, finished: bool = True) -> SyncRun | None:
        """The most recent run (not a running one unless finished=False)."""
        where = " WHERE status <> 'running'" if finished else ""
        with storage_errors("reading sync runs"):
            async with self._connection() as conn:
                row = await conn.fetchrow(f"{_RUN}{where} ORDER BY started_at DESC, id DESC LIMIT 1")
                return await self._load(conn, row)

    async def get(self, run_id: int) -> SyncRun | None:
        """One run by id."""
        with storage_errors("reading a sync run"):
            async with self._connection() as conn:
                return await self._load(conn, await conn.fetchrow(f"{_RUN} WHERE id = $1", run_id))


class PostgresSyncLock:
    """A session advisory lock, tried once on a connection held for the block (a dead process frees
    it); a connection that did not get it goes back to the pool before the block."""

    def __init__(self, pool: PgPool) -> None:
        self._pool = pool

    @asynccontextmanager
    async def try_hold(self) -> AsyncIterator[PostgresSyncRunLog | None]:
        """Hold the lock for the block if free, yielding the run log on its session; None at once
        (and no connection held) when another session holds it."""
        with storage_errors("taking the sync lock"):
            conn = await self._pool.acquire()
        try:
            with storage_errors("taking the sync lock"):
                held = bool(await conn.fetchval("SELECT pg_try_advisory_lock($1)", SYNC_LOCK_KEY))
        except BaseException:
            await self._release(conn, held=False)
            raise
        if not held:
            await self._release(conn, held=False)
            yield None
            return
        try:
            yield PostgresSyncRunLog(self._pool, session=conn)
        finally:
            await self._release(conn, held=True)

    async def _release(self, conn: PgConnection, *, held: bool) -> None:
        if held:
            with suppress(*DRIVER_ERRORS):
                await conn.execute("SELECT pg_advisory_unlock($1)", SYNC_LOCK_KEY)
        # The pool's reset ends the session's advisory locks anyway; a broken connection is discarded.
        with suppress(*DRIVER_ERRORS):
            await self._pool.release(conn)
