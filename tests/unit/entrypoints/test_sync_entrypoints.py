"""Sync settings, the nightly schedule, the ingest URL policy and the `media-scheduler sync` command."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime

import pytest

from adapters.csv_http.ingest import ingest_policy
from adapters.csv_http.url_policy import UrlPolicy, UrlRefused, parse_target
from adapters.memory.clock import FixedClock
from adapters.memory.report_loader import MemoryReportLoader
from adapters.memory.sync_runs import MemorySyncLock, MemorySyncRunLog
from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from application.sync.records import LoadPolicy, ReportName
from application.sync.run import SyncRunner
from entrypoints.cli.sync_command import add_sync_parser, sync_command
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.service import ConfigError, RecoverySettings, Settings
from entrypoints.settings.sync import sync_from_env
from entrypoints.workers.sync_scheduler import SyncScheduler
from tests.sync_support import REPORTS_DIR, DictSources, GatedSource


def test_sync_defaults_and_values() -> None:
    sandbox = sync_from_env({}, fms_environment="sandbox")
    assert (sandbox.enabled, sandbox.hour, sandbox.minute, sandbox.timezone) == (
        False,
        2,
        0,
        "America/Los_Angeles",
    )
    assert sync_from_env({}, fms_environment="production").enabled
    assert (sandbox.http_deadline_seconds, sandbox.max_download_bytes) == (900.0, 512 * 1024 * 1024)
    limited = sync_from_env(
        {"SYNC_HTTP_DEADLINE_SECONDS": "30", "SYNC_MAX_DOWNLOAD_MB": "2"}, fms_environment="sandbox"
    )
    assert (limited.http_deadline_seconds, limited.max_download_bytes) == (30.0, 2 * 1024 * 1024)
    s = sync_from_env(
        {
            "FMS_VEHICLES_CSV_URL": "https://fms.example.com/r/v.csv?token=s3cret",
            "SYNC_MAX_BAD_ROW_RATIO": "0.1",
        },
        fms_environment="sandbox",
    )
    assert s.urls == {ReportName.VEHICLES: "https://fms.example.com/r/v.csv?token=s3cret"}
    assert s.policy.max_bad_row_ratio == 0.1
    assert "s3cret" not in repr(s)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SYNC_HOUR": "24"}, "SYNC_HOUR"),
        ({"SYNC_HTTP_DEADLINE_SECONDS": "0"}, "SYNC_HTTP_DEADLINE_SECONDS"),
        ({"SYNC_MAX_DOWNLOAD_MB": "x"}, "SYNC_MAX_DOWNLOAD_MB"),
        ({"DB_POOL_TIMEOUT_SECONDS": "0"}, "DB_POOL_TIMEOUT_SECONDS"),
        ({"SYNC_TIMEZONE": "Mars/Olympus"}, "SYNC_TIMEZONE"),
        ({"SYNC_MIN_ROW_RATIO": "2"}, "SYNC_MIN_ROW_RATIO"),
        ({"FMS_LOAN_HISTORY_CSV_URL": "ftp://x/y.csv"}, "FMS_LOAN_HISTORY_CSV_URL"),
    ],
)
def test_bad_sync_settings_are_refused(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(env)


async def test_the_schedule_runs_in_its_time_zone() -> None:
    settings = sync_from_env(
        {"SYNC_ENABLED": "true", "SYNC_HOUR": "3", "SYNC_MINUTE": "30"}, fms_environment="sandbox"
    )
    scheduler = SyncScheduler(settings, runner=None)  # type: ignore[arg-type]
    scheduler.start()
    try:
        assert scheduler.running
        nxt = scheduler.next_run_time
        assert nxt is not None
        assert (nxt.hour, nxt.minute, str(nxt.tzinfo)) == (3, 30, "America/Los_Angeles")
    finally:
        scheduler.stop()
    assert not scheduler.running


def test_ingest_urls_only_on_configured_report_hosts() -> None:
    policy = ingest_policy(
        UrlPolicy(), ["https://fms.example.com/reports/vehicles.csv", "http://127.0.0.1:8123/r.csv"]
    )
    assert parse_target("https://fms.example.com/reports/other.csv", policy).host == "fms.example.com"
    assert parse_target("http://127.0.0.1:8123/reports/x.csv", policy).port == 8123
    for url in ("https://evil.example.com/x.csv", "http://127.0.0.1:5432/", "http://169.254.169.254/"):
        with pytest.raises(UrlRefused):
            parse_target(url, policy)


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_sync_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["sync", *argv])


async def test_the_sync_command_loads_a_folder(capsys: pytest.CaptureFixture[str]) -> None:
    # sync_command itself, not main(): main() would point the process's logging at this test's stderr.
    settings = Settings(
        storage_backend="memory",
        demo_data=False,
        fms=FmsSettings(sandbox="memory"),
        recovery=RecoverySettings(enabled=False),
    )
    assert await sync_command(settings, _args("--from-dir", str(REPORTS_DIR))) == 0
    shown = capsys.readouterr().err
    assert "loan_history" in shown
    assert "reconciliation: 0 activated" in shown
    assert (
        await sync_command(settings, _args("--from-dir", str(REPORTS_DIR / "none"), "--report", "vehicles"))
        == 1
    )


async def test_the_nightly_run_is_skipped_not_queued_while_a_sync_runs() -> None:
    factory = MemoryUnitOfWorkFactory()
    gated = GatedSource(b"")
    runs = MemorySyncRunLog()
    runner = SyncRunner(
        sources=DictSources({ReportName.VEHICLES: gated}),
        loader=MemoryReportLoader(factory.store),
        runs=runs,
        lock=MemorySyncLock(runs),
        uow_factory=factory,
        clock=FixedClock(datetime(2026, 12, 2, 10, 0, tzinfo=UTC)),
        policy=LoadPolicy(),
    )
    manual = asyncio.create_task(runner.trigger(trigger="manual"))
    await asyncio.wait_for(gated.reading.wait(), timeout=10)
    await asyncio.wait_for(SyncScheduler(sync_from_env({}, fms_environment="sandbox"), runner).run_now(), 10)
    gated.gate.set()
    await asyncio.wait_for(manual, timeout=10)
    latest = await runs.latest()
    assert latest is not None
    assert (latest.run_id, latest.trigger) == (1, "manual")  # no scheduled run was recorded
