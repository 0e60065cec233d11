"""MemorySyncRunLog and MemorySyncLock: sync runs and the one-run lock within one process."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from application.sync.records import SyncRun

INTERRUPTED = "the process running it stopped"  # as the PostgreSQL run log says


class MemorySyncRunLog:
    """Runs in a list (copies in and out)."""

    def __init__(self) -> None:
        self._runs: list[SyncRun] = []

    async def start(self, trigger: str, started_at: datetime) -> SyncRun:
        """Record a running run."""
        for run in self._runs:
            if run.status == "running":
                run.status, run.finished_at = "interrupted", started_at
                run.error = run.error or INTERRUPTED
        run = SyncRun(run_id=len(self._runs) + 1, trigger=trigger, started_at=started_at)
        self._runs.append(copy.deepcopy(run))
        return run

    async def finish(self, run: SyncRun) -> None:
        """Store the run's end and results."""
        self._runs[run.run_id - 1] = copy.deepcopy(run)

    async def latest(self, *, finished: bool = True) -> SyncRun | None:
        """The most recent (finished) run."""
        for run in reversed(self._runs):
            if not finished or run.status != "running":
                return copy.deepcopy(run)
        return None

    async def get(self, run_id: int) -> SyncRun | None:
        """One run by id."""
        return copy.deepcopy(self._runs[run_id - 1]) if 0 < run_id <= len(self._runs) else None


class MemorySyncLock:
    """An asyncio lock: enough for the memory backend, which lives in one process."""

    def __init__(self, runs: MemorySyncRunLog) -> None:
        self._runs = runs
        self._lock: asyncio.Lock | None = None

    @property
    def _held(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()  # created inside the running loop
        return self._lock

    @asynccontextmanager
    async def try_hold(self) -> AsyncIterator[MemorySyncRunLog | None]:
        """Hold the lock for the block if free, yielding the run log; None at once otherwise."""
        if self._held.locked():
            yield None
            return
        async with self._held:
            yield self._runs
