"""Response bodies of the sync and ingest routes (http-api.md, Sync and data)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from application.sync.records import ReportResult, SyncRun


class BadRowBody(msgspec.Struct):
    """A row left out: its line in the file and why."""

    line: int
    reason: str


class ReportResultBody(msgspec.Struct):
    """One report of a run; rows_processed is the rows loaded."""

    table: str
    success: bool
    rows_processed: int
    rows_rejected: int
    message: str
    rows_read: int
    duration_seconds: float
    source: str | None
    failure: str | None
    bad_rows: list[BadRowBody]


class MovedAssignment(msgspec.Struct):
    """An assignment the reconciliation moved, and the activity that moved it."""

    assignment_id: int
    activity_id: int


class ReconciliationBody(msgspec.Struct):
    """Requests that became active, loans that completed."""

    activated: list[MovedAssignment]
    completed: list[MovedAssignment]


class SyncSummary(msgspec.Struct):
    """A sync run: trigger-sync's answer and sync-status's last_sync."""

    run_id: int
    trigger: str
    status: str
    start_time: datetime
    end_time: datetime | None
    duration_seconds: float | None
    success_count: int
    failure_count: int
    total_rows_processed: int
    results: list[ReportResultBody]
    reconciliation: ReconciliationBody | None
    error: str | None


class ReportSourceBody(msgspec.Struct):
    """Where a report is read from (no credentials), or why it is not configured."""

    table: str
    configured: bool
    source: str


class SyncStatus(msgspec.Struct):
    """The schedule, the last finished run and the run under way, if any."""

    scheduler_running: bool
    next_sync_time: datetime | None
    sync_hour: int
    sync_minute: int
    sync_enabled: bool
    sync_timezone: str
    running: bool
    last_sync: SyncSummary | None
    reports: list[ReportSourceBody]


class IngestResponse(msgspec.Struct):
    """One report loaded (or not) from a URL or an upload; detail says why on failure."""

    success: bool
    table: str
    run_id: int
    rows_processed: int
    rows_rejected: int
    rows_read: int
    message: str
    detail: str | None
    bad_rows: list[BadRowBody]


def result_body(r: ReportResult) -> ReportResultBody:
    """The body of one report's result."""
    return ReportResultBody(
        table=r.report.value,
        success=r.success,
        rows_processed=r.rows_loaded,
        rows_rejected=r.rows_rejected,
        message=r.message,
        rows_read=r.rows_read,
        duration_seconds=r.duration_seconds,
        source=r.source,
        failure=r.failure.value if r.failure else None,
        bad_rows=[BadRowBody(b.line, b.reason) for b in r.bad_rows],
    )


def summary_body(run: SyncRun) -> SyncSummary:
    """The summary of a run."""
    recon = run.reconciliation
    return SyncSummary(
        run_id=run.run_id,
        trigger=run.trigger,
        status=run.status,
        start_time=run.started_at,
        end_time=run.finished_at,
        duration_seconds=run.duration_seconds,
        success_count=sum(r.success for r in run.results),
        failure_count=sum(not r.success for r in run.results),
        total_rows_processed=sum(r.rows_loaded for r in run.results),
        results=[result_body(r) for r in run.results],
        reconciliation=None
        if recon is None
        else ReconciliationBody(
            activated=[MovedAssignment(a, x) for a, x in recon.activated],
            completed=[MovedAssignment(a, x) for a, x in recon.completed],
        ),
        error=run.error,
    )
