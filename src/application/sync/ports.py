"""Ports of the sync: where report bytes come from, where they are loaded, runs, the lock, reconciliation."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any, Protocol

from application.sync.records import BadRow, ReportName, ReportResult, SyncRun
from application.sync.specs import ReportSpec


class CsvSource(Protocol):
    """One report's CSV file: at a URL, in a file, or uploaded."""

    @property
    def location(self) -> str:
        """Where the bytes come from, safe to show and log (no credentials)."""
        ...

    def chunks(self) -> AsyncIterator[bytes]:
        """The file's bytes in order, as they arrive (never all at once); SourceUnavailable on failure."""
        ...


class ReportSources(Protocol):
    """The configured source of each report."""

    def source(self, report: ReportName) -> CsvSource | None:
        """Where this report is read from, or None when it is not configured."""
        ...

    def missing(self, report: ReportName) -> str:
        """Why a report has no source, and how to configure one."""
        ...


class ReportStaging(Protocol):
    """A report being loaded beside the current table; nothing is visible until publish()."""

    async def write(self, batches: AsyncIterable[Sequence[tuple[Any, ...]]]) -> int:
        """Stage records (the row's values in file order, then its line number); return how many."""
        ...

    async def drop_duplicates(self, keep: int) -> tuple[int, list[BadRow]]:
        """Leave out every later row of a key seen earlier: their count and (up to keep) which lines."""
        ...

    async def current_rows(self) -> int:
        """Rows in the table the report would replace."""
        ...

    async def publish(self) -> int:
        """Replace the table with the staged rows in one transaction; return the rows now in it.

        Publishing vehicles or media_partners also re-derives the active offices in that transaction.
        """
        ...


class ReportLoader(Protocol):
    """Loads reports into their tables."""

    def staging(self, spec: ReportSpec) -> AbstractAsyncContextManager[ReportStaging]:
        """Stage one report; leaving the block without publish() discards it and keeps the old rows."""
        ...

    async def row_count(self, report: ReportName) -> int:
        """Rows now in the report's table."""
        ...


class SyncRunLog(Protocol):
    """The record of every sync run."""

    async def start(self, trigger: str, started_at: datetime) -> SyncRun:
        """Record a new running run (runs left running by a dead process are marked interrupted)."""
        ...

    async def finish(self, run: SyncRun) -> None:
        """Store a run's end, results and reconciliation."""
        ...

    async def latest(self, *, finished: bool = True) -> SyncRun | None:
        """The most recent run (finished or interrupted ones only, unless finished=False)."""
        ...

    async def get(self, run_id: int) -> SyncRun | None:
        """One run by id."""
        ...


class SyncLock(Protocol):
    """One sync at a time across every process and replica; nobody waits for it."""

    def try_hold(self) -> AbstractAsyncContextManager[SyncRunLog | None]:
        """Take the lock for the block if it is free, yielding the run log to record this run with (on
        the lock's own session); None at once, holding nothing, while another run holds it."""
        ...


class SyncProgress(Protocol):
    """Told how a sync advances (the CLI draws it; the service logs it)."""

    def report_started(self, report: ReportName, location: str) -> None:
        """A report starts loading from location."""
        ...

    def rows_read(self, report: ReportName, rows: int, bytes_read: int) -> None:
        """So many rows (and bytes) of the report have been read so far."""
        ...

    def report_finished(self, result: ReportResult) -> None:
        """A report is done, loaded or not."""
        ...
