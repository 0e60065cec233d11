"""Use-case: a sync run (every report, or the ones given) under the one-run-at-a-time lock, recorded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from application.port_errors import StorageUnavailable
from application.ports import Clock, UnitOfWorkFactory
from application.sync.load import load_report
from application.sync.ports import CsvSource, ReportLoader, ReportSources, SyncLock, SyncProgress, SyncRunLog
from application.sync.reconcile import reconcile_assignments
from application.sync.records import (
    OPTIONAL_REPORTS,
    FailureKind,
    LoadPolicy,
    ReportName,
    ReportResult,
    SyncRun,
)
from application.sync.specs import SPECS

RECONCILING_REPORTS = frozenset({ReportName.CURRENT_ACTIVITY, ReportName.LOAN_HISTORY})


@dataclass
class SyncRunner:
    """Runs syncs: loads reports in order, reconciles assignments, records every run."""

    sources: ReportSources
    loader: ReportLoader
    runs: SyncRunLog
    lock: SyncLock
    uow_factory: UnitOfWorkFactory
    clock: Clock
    policy: LoadPolicy

    async def trigger(self, *, trigger: str, progress: SyncProgress | None = None) -> SyncRun:
        """A full sync from the configured sources; when one is already running, wait and answer with it."""
        async with self.lock.try_hold() as held:
            if held:
                return await self._run(trigger, self._configured(), progress=progress, force=False)
        waited_since = self.clock.now()
        async with self.lock.hold():
            # The running sync recorded its run before letting go of the lock; if it died instead,
            # there is no such record and this caller runs the sync itself.
            latest = await self.runs.latest()
            if latest is not None and latest.finished_at is not None and latest.finished_at >= waited_since:
                return latest
            return await self._run(trigger, self._configured(), progress=progress, force=False)

    async def run(
        self,
        reports: Sequence[tuple[ReportName, CsvSource | None]],
        *,
        trigger: str,
        force: bool = False,
        progress: SyncProgress | None = None,
    ) -> SyncRun:
        """Load exactly these reports (a file upload, a URL, a folder), after any running sync ends."""
        async with self.lock.hold():
            return await self._run(trigger, reports, progress=progress, force=force)

    def plan(self, only: Sequence[ReportName] | None = None) -> list[tuple[ReportName, CsvSource | None]]:
        """The configured source of each report (all, in load order, or only those named)."""
        return [(r, self.sources.source(r)) for r in ReportName if only is None or r in only]

    def _configured(self) -> list[tuple[ReportName, CsvSource | None]]:
        return [(r, s) for r, s in self.plan() if s is not None or r not in OPTIONAL_REPORTS]

    async def _run(
        self,
        trigger: str,
        reports: Sequence[tuple[ReportName, CsvSource | None]],
        *,
        progress: SyncProgress | None,
        force: bool,
    ) -> SyncRun:
        run = await self.runs.start(trigger, self.clock.now())
        status = "interrupted"  # unless it gets to the end (a cancelled run is recorded as such)
        try:
            for report, source in reports:
                run.results.append(await self._load(report, source, force=force, progress=progress))
            if any(r.success and r.report in RECONCILING_REPORTS for r in run.results):
                run.reconciliation = await reconcile_assignments(
                    uow_factory=self.uow_factory, clock=self.clock, run_id=run.run_id
                )
            status = "finished"
        except StorageUnavailable as exc:
            run.error, status = f"reconciliation failed: {exc}", "finished"
        finally:
            run.finished_at, run.status = self.clock.now(), status
            await self.runs.finish(run)
        return run

    async def _load(
        self, report: ReportName, source: CsvSource | None, *, force: bool, progress: SyncProgress | None
    ) -> ReportResult:
        if source is None:
            missing = self.sources.missing(report)
            result = ReportResult(report, success=False, message=missing, failure=FailureKind.NOT_CONFIGURED)
            if progress is not None:
                progress.report_finished(result)
            return result
        return await load_report(
            SPECS[report], source, loader=self.loader, policy=self.policy, force=force, progress=progress
        )
