"""MeteredSyncRunLog: the sync run log port, counting each finished run, its duration and rows;
MeteredSyncLock: the sync lock, whose run log (the one a run records itself with) is metered."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from adapters.metrics.registry import ServiceMetrics
from application.sync.ports import SyncLock, SyncRunLog
from application.sync.records import SyncRun


def result_of(run: SyncRun) -> str:
    """success when every report loaded, failed when none did (or the run broke), else partial."""
    loaded = [r.success for r in run.results]
    if run.error is not None or run.status != "finished" or not any(loaded):
        return "failed"
    return "success" if all(loaded) else "partial"


class MeteredSyncRunLog:
    """Forwards to the run log; every run's finish (whichever path started it) is counted once."""

    def __init__(self, inner: SyncRunLog, metrics: ServiceMetrics) -> None:
        self.inner = inner
        self.metrics = metrics

    async def start(self, trigger: str, started_at: datetime) -> SyncRun:
        """Record a run starting."""
        return await self.inner.start(trigger, started_at)

    async def finish(self, run: SyncRun) -> None:
        """Record the run's end, then count it."""
        await self.inner.finish(run)
        rows = {r.report.value: (r.rows_loaded, r.rows_rejected) for r in run.results}
        self.metrics.sync_finished(result_of(run), run.duration_seconds, rows)

    async def latest(self, *, finished: bool = True) -> SyncRun | None:
        """The latest run."""
        return await self.inner.latest(finished=finished)

    async def get(self, run_id: int) -> SyncRun | None:
        """One run by id."""
        return await self.inner.get(run_id)


class MeteredSyncLock:
    """Forwards to the lock; the run log it yields counts the run's finish."""

    def __init__(self, inner: SyncLock, metrics: ServiceMetrics) -> None:
        self.inner = inner
        self.metrics = metrics

    @asynccontextmanager
    async def try_hold(self) -> AsyncIterator[SyncRunLog | None]:
        """The inner lock's answer, its run log metered."""
        async with self.inner.try_hold() as runs:
            yield None if runs is None else MeteredSyncRunLog(runs, self.metrics)
