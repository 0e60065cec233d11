"""Bulk runs still under way in this process: a run whose caller went away still records its outcomes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from application.bulk import BulkRun
from application.protocol.records import ItemResult

WhenDone = Callable[[list[ItemResult]], None]


class BulkRuns:
    """The bulk runs of one service (one per container): tracked while they run, awaited at shutdown."""

    def __init__(self) -> None:
        self._running: set[asyncio.Task[None]] = set()

    def __len__(self) -> int:
        return len(self._running)

    def track(self, run: BulkRun, when_done: WhenDone | None = None) -> None:
        """Keep the run's task until it is done (its FMS calls go on without the caller); then hand
        every item's result to when_done (metrics), whether or not the caller stayed."""
        if run.task is None:
            if when_done is not None:
                when_done(run.finished)
            return
        self._running.add(run.task)
        run.task.add_done_callback(self._running.discard)
        if when_done is not None:
            run.task.add_done_callback(lambda _: when_done(run.finished))

    async def wait(self, grace_seconds: float) -> None:
        """Let the runs under way record their FMS outcomes, for at most grace_seconds (the longest
        call: no queued call is sent once the service stops); then cancel those still running."""
        if not self._running:
            return
        _, late = await asyncio.wait(set(self._running), timeout=grace_seconds)
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late)
