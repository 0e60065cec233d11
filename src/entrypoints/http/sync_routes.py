"""Routes: sync and data (http-api.md): trigger a sync, its status, ingest one report. Admin only."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery

from adapters.csv_file.source import UploadedCsvSource
from adapters.csv_http.url_policy import UrlRefused
from application.errors import InvalidInput
from application.sync.ports import CsvSource
from application.sync.records import FailureKind, ReportName, SyncRun
from application.sync.run import SyncRunner
from entrypoints.http.auth import admin_only
from entrypoints.http.dependencies import SyncRunnerDep, SyncSchedulerDep, SyncSettingsDep, UrlIngestDep
from entrypoints.http.openapi_errors import error_responses
from entrypoints.http.sync_schemas import (
    BadRowBody,
    IngestResponse,
    ReportSourceBody,
    SyncStatus,
    SyncSummary,
    summary_body,
)
from entrypoints.http.upload_stream import UploadOperation, receive_upload
from entrypoints.settings.sync import SyncSettings
from entrypoints.workers.sync_scheduler import SyncScheduler

STATUS_OF_FAILURE = {FailureKind.REJECTED: 422, FailureKind.UNAVAILABLE: 502, FailureKind.STORAGE: 503}
REPORTS = ", ".join(r.value for r in ReportName)


def report_named(name: str) -> ReportName:
    """The report of a path segment; 404 naming the known reports otherwise."""
    try:
        return ReportName(name.strip().lower())
    except ValueError:
        raise NotFoundException(detail=f"unknown report {name!r}; the reports are {REPORTS}") from None


@post("/api/admin/trigger-sync", status_code=200, responses=error_responses(409, 503))
async def trigger_sync(sync_runner: SyncRunnerDep) -> SyncSummary:
    """Run a full sync now and answer with its summary; 409 naming the running run when one is under way."""
    return summary_body(await sync_runner.trigger(trigger="manual"))


async def _status(runner: SyncRunner, scheduler: SyncScheduler, s: SyncSettings) -> SyncStatus:
    last = await runner.runs.latest()
    newest = await runner.runs.latest(finished=False)
    reports = []
    for report, source in runner.plan():
        where = source.location if source is not None else runner.sources.missing(report)
        reports.append(ReportSourceBody(report.value, source is not None, where))
    return SyncStatus(
        scheduler_running=scheduler.running,
        next_sync_time=scheduler.next_run_time,
        sync_hour=s.hour,
        sync_minute=s.minute,
        sync_enabled=s.enabled,
        sync_timezone=s.timezone,
        running=newest is not None and newest.status == "running",
        last_sync=summary_body(last) if last is not None else None,
        reports=reports,
    )


@get("/api/admin/sync-status", responses=error_responses(503))
async def sync_status(
    sync_runner: SyncRunnerDep, sync_scheduler: SyncSchedulerDep, sync_settings: SyncSettingsDep
) -> SyncStatus:
    """The schedule, the last finished run, whether one is running, and where each report comes from."""
    return await _status(sync_runner, sync_scheduler, sync_settings)


async def _ingest(
    runner: SyncRunner, report: ReportName, source: CsvSource, force: bool
) -> Response[IngestResponse]:
    run: SyncRun = await runner.run([(report, source)], trigger=f"ingest {report.value}", force=force)
    result = run.results[0]
    status = 200 if result.success else STATUS_OF_FAILURE.get(result.failure or FailureKind.STORAGE, 503)
    body = IngestResponse(
        success=result.success,
        table=report.value,
        run_id=run.run_id,
        rows_processed=result.rows_loaded,
        rows_rejected=result.rows_rejected,
        rows_read=result.rows_read,
        message=result.message,
        detail=None if result.success else result.message,
        bad_rows=[BadRowBody(b.line, b.reason) for b in result.bad_rows],
    )
    return Response(body, status_code=status)


@post("/ingest/{report:str}/url", status_code=200, responses=error_responses(404, 409, 422, 502, 503))
async def ingest_from_url(
    report: FromPath[str], url: FromQuery[str], sync_runner: SyncRunnerDep, url_ingest: UrlIngestDep,
    force: FromQuery[bool] = False,
) -> Response[IngestResponse]:  # fmt: skip
    """Load one report from a URL on a configured report host (force: accept a large drop in rows)."""
    name = report_named(report)
    try:
        source = await url_ingest.source(url)
    except UrlRefused as exc:
        raise InvalidInput(f"URL refused: {exc}") from None
    return await _ingest(sync_runner, name, source, force)


def build_sync_router(settings: SyncSettings) -> Router:
    """The sync routes, admin only; uploads may be as large as SYNC_MAX_UPLOAD_MB."""

    @post(
        "/ingest/{report:str}",
        status_code=200,
        request_max_body_size=settings.max_upload_bytes,
        operation_class=UploadOperation,
        responses=error_responses(400, 404, 409, 413, 422, 503),
    )
    async def ingest_upload(
        report: FromPath[str],
        request: Request[Any, Any, Any],
        sync_runner: SyncRunnerDep,
        force: FromQuery[bool] = False,
    ) -> Response[IngestResponse]:
        """Load one report from an uploaded file (multipart field `file`, with a filename)."""
        name = report_named(report)
        upload = await receive_upload(request)
        try:
            source = UploadedCsvSource(upload.read, upload.filename)
            return await _ingest(sync_runner, name, source, force)
        finally:
            await upload.close()

    return Router(
        path="/",
        route_handlers=[
            trigger_sync,
            sync_status,
            ingest_sync,
            ingest_sync_status,
            ingest_from_url,
            ingest_upload,
        ],
        guards=[admin_only],
        tags=["Sync"],
    )


@post("/api/ingest/sync", status_code=200, responses=error_responses(409, 503))
async def ingest_sync(sync_runner: SyncRunnerDep) -> SyncSummary:
    """The same as /api/admin/trigger-sync, under the integration guide's name."""
    return summary_body(await sync_runner.trigger(trigger="manual"))


@get("/api/ingest/sync/status", responses=error_responses(503))
async def ingest_sync_status(
    sync_runner: SyncRunnerDep, sync_scheduler: SyncSchedulerDep, sync_settings: SyncSettingsDep
) -> SyncStatus:
    """The same as /api/admin/sync-status, under the integration guide's name."""
    return await _status(sync_runner, sync_scheduler, sync_settings)
