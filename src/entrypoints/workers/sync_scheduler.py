"""The nightly sync inside the service: an APScheduler cron job started and stopped with the app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import structlog
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from application.errors import SyncAlreadyRunning
from application.port_errors import PortError
from application.sync.records import ReportName, ReportResult
from application.sync.run import SyncRunner
from entrypoints.settings.sync import SyncSettings

log = structlog.get_logger("media_scheduler.sync")
JOB_ID = "nightly-sync"


class LoggingProgress:
    """Sync progress as log lines (the service has no terminal to draw on)."""

    def report_started(self, report: ReportName, location: str) -> None:
        """Log the start of a report."""
        log.info("report loading", report=report.value, source=location)

    def rows_read(self, report: ReportName, rows: int, bytes_read: int) -> None:
        """Too frequent to log."""

    def report_finished(self, result: ReportResult) -> None:
        """Log what a report did."""
        log.log(
            20 if result.success else 30,
            "report loaded" if result.success else "report not loaded",
            report=result.report.value,
            rows_read=result.rows_read,
            rows_loaded=result.rows_loaded,
            rows_rejected=result.rows_rejected,
            seconds=result.duration_seconds,
            message=result.message,
        )


class SyncScheduler:
    """Runs the full sync every day at SYNC_HOUR:SYNC_MINUTE in SYNC_TIMEZONE when SYNC_ENABLED."""

    def __init__(self, settings: SyncSettings, runner: SyncRunner) -> None:
        self.settings = settings
        self._runner = runner
        self._scheduler: AsyncIOScheduler | None = None

    @property
    def running(self) -> bool:
        """True while the cron job is scheduled."""
        return self._scheduler is not None and bool(self._scheduler.running)

    @property
    def next_run_time(self) -> datetime | None:
        """When the next scheduled sync starts (None when not scheduled)."""
        if self._scheduler is None:
            return None
        job = self._scheduler.get_job(JOB_ID)
        return job.next_run_time if job is not None else None

    async def run_now(self) -> None:
        """The job: a full sync; failures are logged, the schedule goes on. A sync already running (a
        person's, or another replica's nightly one) stands for tonight's: this one is skipped, not queued."""
        try:
            run = await self._runner.trigger(trigger="schedule", progress=LoggingProgress())
        except SyncAlreadyRunning as exc:
            log.info("scheduled sync skipped: a sync is already running", running_run_id=exc.run_id)
            return
        except PortError as exc:
            log.error("scheduled sync failed", error=str(exc))
            return
        failed = [r.report.value for r in run.results if not r.success]
        log.info("scheduled sync finished", run_id=run.run_id, failed=failed, error=run.error)

    def start(self) -> None:
        """Schedule the job (inside the running event loop)."""
        s = self.settings
        scheduler = AsyncIOScheduler(timezone=s.timezone)
        trigger = CronTrigger(hour=s.hour, minute=s.minute, timezone=s.timezone)
        # A sync missed by up to an hour (the process was down or busy) still runs, once.
        scheduler.add_job(
            self.run_now, trigger, id=JOB_ID, max_instances=1, coalesce=True, misfire_grace_time=3600
        )
        scheduler.start()
        self._scheduler = scheduler
        at = f"{s.hour:02d}:{s.minute:02d} {s.timezone}"
        log.info("sync scheduled", at=at, next=str(self.next_run_time))

    def stop(self) -> None:
        """Unschedule (a sync under way is left to finish or be cancelled with the loop)."""
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None


async def run_sync_scheduler(settings: SyncSettings, runner: SyncRunner) -> AsyncIterator[SyncScheduler]:
    """The scheduler as a container resource: started when enabled, stopped at shutdown."""
    scheduler = SyncScheduler(settings, runner)
    if settings.enabled:
        scheduler.start()
    try:
        yield scheduler
    finally:
        scheduler.stop()
