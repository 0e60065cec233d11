"""`media-scheduler sync`: load the reports now (from their URLs or a folder), with a progress display."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from adapters.csv_file.source import FolderReportSources
from application.errors import SyncAlreadyRunning
from application.port_errors import PortError
from application.sync.ports import CsvSource
from application.sync.records import OPTIONAL_REPORTS, ReportName, ReportResult, SyncRun
from application.sync.run import SyncRunner
from entrypoints.settings.service import Settings
from entrypoints.wiring.container import build_container, resolve, shutdown


class RichProgress:
    """One line per report: rows and megabytes read, then the outcome."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._tasks: dict[ReportName, TaskID] = {}

    def report_started(self, report: ReportName, location: str) -> None:
        """Add the report's line."""
        self._tasks[report] = self._progress.add_task(f"{report.value:<17}", total=None, status=location)

    def rows_read(self, report: ReportName, rows: int, bytes_read: int) -> None:
        """Update the report's line."""
        status = f"{rows:>10,} rows  {bytes_read / 1e6:8.1f} MB"
        self._progress.update(self._tasks[report], completed=rows, status=status)

    def report_finished(self, result: ReportResult) -> None:
        """Close the report's line with its outcome."""
        task = self._tasks.get(result.report)
        if task is None:
            task = self._progress.add_task(f"{result.report.value:<17}", total=1, status="")
            self._tasks[result.report] = task
        mark = "[green]loaded[/]" if result.success else "[red]not loaded[/]"
        self._progress.update(task, total=1, completed=1, status=f"{mark} {result.rows_loaded:,} rows")


def add_sync_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `sync` subcommand and its options."""
    parser = sub.add_parser("sync", help="load the FMS reports now (one run, under the sync lock)")
    parser.add_argument("--from-dir", type=Path, help="read <report>.csv files from this folder, not URLs")
    reports = [r.value for r in ReportName]
    parser.add_argument("--report", action="append", choices=reports, help="only this report (repeatable)")
    parser.add_argument("--force", action="store_true", help="accept a large drop in rows (never bad files)")


def _plan(runner: SyncRunner, args: argparse.Namespace) -> list[tuple[ReportName, CsvSource | None]]:
    only = [ReportName(r) for r in args.report] if args.report else None
    if args.from_dir is None:
        plan = runner.plan(only)
    else:
        folder = FolderReportSources(args.from_dir)
        plan = [(r, folder.source(r)) for r in ReportName if only is None or r in only]
    return [(r, s) for r, s in plan if s is not None or r not in OPTIONAL_REPORTS or only is not None]


def _summary(console: Console, run: SyncRun) -> None:
    table = Table(title=f"sync run {run.run_id} ({run.duration_seconds or 0:.1f} s)")
    for column in ("report", "loaded", "read", "rejected", "seconds", "message"):
        numeric = column in ("loaded", "read", "rejected", "seconds")
        table.add_column(column, justify="right" if numeric else "left")
    for r in run.results:
        style = "green" if r.success else "red"
        table.add_row(
            f"[{style}]{r.report.value}[/]", f"{r.rows_loaded:,}", f"{r.rows_read:,}", f"{r.rows_rejected:,}",
            f"{r.duration_seconds:.2f}", r.message,
        )  # fmt: skip
    console.print(table)
    for r in run.results:
        for bad in r.bad_rows[:5]:
            console.print(f"  {r.report.value} line {bad.line}: {bad.reason}")
    if run.reconciliation is not None:
        recon = run.reconciliation
        console.print(f"reconciliation: {len(recon.activated)} activated, {len(recon.completed)} completed")
    if run.error:
        console.print(f"[red]{run.error}[/]")


async def sync_command(settings: Settings, args: argparse.Namespace) -> int:
    """Run one sync; 0 when every report loaded, 1 otherwise."""
    console = Console(stderr=True)
    container = build_container(settings)
    await container.init_resources()  # type: ignore[misc]
    try:
        runner: SyncRunner = await resolve(container.sync.runner)
        columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[status]}"))
        with Progress(*columns, TimeElapsedColumn(), console=console) as progress:
            try:
                plan, shown = _plan(runner, args), RichProgress(progress)
                run = await runner.run(plan, trigger="cli", force=args.force, progress=shown)
            except (PortError, SyncAlreadyRunning) as exc:
                console.print(f"[red]sync failed: {exc}[/]")
                return 1
        _summary(console, run)
        return 0 if run.results and all(r.success for r in run.results) and not run.error else 1
    finally:
        await shutdown(container)
