"""Use-case: a sync run (every report, or the ones given) under the one-run-at-a-time lock, recorded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from application.errors import SyncAlreadyRunning
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
    """Runs syncs: loads reports in order, reconciles assignments, records every run.

    `runs` answers the readers (status, the latest run); a run records itself through the run log the
    lock yields, on the session that holds the lock.
    """

    sources: ReportSources
    loader: ReportLoader
    runs: SyncRunLog
    lock: SyncLock
    uow_factory: UnitOfWorkFactory
    clock: Clock
    policy: LoadPolicy

    async def trigger(self, *, trigger: str, progress: SyncProgress | None = None) -> SyncRun:
        """A full sync from the configured sources; SyncAlreadyRunning at once when one is running."""
        return await self.run(self._configured(), trigger=trigger, progress=progress)

    async def run(
        self,
        reports: Sequence[tuple[ReportName, CsvSource | None]],
        *,
        trigger: str,
        force: bool = False,
        progress: SyncProgress | None = None,
    ) -> SyncRun:
        """Load exactly these reports (a file upload, a URL, a folder); SyncAlreadyRunning at once,
        naming the running run, when another sync holds the lock (nothing waits, nothing queues)."""
        async with self.lock.try_hold() as runs:
            if runs is not None:
                return await self._run(runs, trigger, reports, progress=progress, force=force)
        raise SyncAlreadyRunning(await self._running_id())

    async def _running_id(self) -> int | None:
        # The lock's holder records its run just after taking it: in between, the newest run may be
        # an older one, and the answer names none.
        newest = await self.runs.latest(finished=False)
        return newest.run_id if newest is not None and newest.status == "running" else None

    def plan(self, only: Sequence[ReportName] | None = None) -> list[tuple[ReportName, CsvSource | None]]:
        """The configured source of each report (all, in load order, or only those named)."""
        return [(r, self.sources.source(r)) for r in ReportName if only is None or r in only]

    def _configured(self) -> list[tuple[ReportName, CsvSource | None]]:
        return [(r, s) for r, s in self.plan() if s is not None or r not in OPTIONAL_REPORTS]

    async def _run(
        self,
        runs: SyncRunLog,
        trigger: str,
        reports: Sequence[tuple[ReportName, CsvSource | None]],
        *,
        progress: SyncProgress | None,
        force: bool,
    ) -> SyncRun:
        run = await runs.start(trigger, self.clock.now())
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
            await runs.finish(run)
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
