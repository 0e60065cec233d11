"""Sync settings: the report URLs, the nightly schedule, and when a report is rejected (README: Sync)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from application.sync.records import LoadPolicy, ReportName
from entrypoints.settings.env import boolean, fail, integer, ratio, text

REPORT_URL_SETTINGS: dict[ReportName, str] = {
    ReportName.VEHICLES: "FMS_VEHICLES_CSV_URL",
    ReportName.MEDIA_PARTNERS: "FMS_PARTNERS_CSV_URL",
    ReportName.APPROVED_MAKES: "FMS_APPROVED_MAKES_CSV_URL",
    ReportName.LOAN_HISTORY: "FMS_LOAN_HISTORY_CSV_URL",
    ReportName.CURRENT_ACTIVITY: "FMS_CURRENT_ACTIVITY_CSV_URL",
    ReportName.BUDGET_SPENDING: "FMS_BUDGET_SPENDING_CSV_URL",
}


@dataclass(frozen=True)
class SyncSettings:
    """Where the reports are, when the nightly sync runs, and the limits of a plausible report."""

    enabled: bool = False
    hour: int = 2
    minute: int = 0
    timezone: str = "America/Los_Angeles"
    report_urls: tuple[tuple[ReportName, str], ...] = field(default=(), repr=False)  # may hold tokens
    max_bad_row_ratio: float = 0.05
    min_row_ratio: float = 0.5
    min_rows_for_ratio: int = 20
    http_timeout_seconds: float = 60.0
    http_deadline_seconds: float = 900.0
    max_download_bytes: int = 512 * 1024 * 1024
    max_upload_bytes: int = 512 * 1024 * 1024

    @property
    def urls(self) -> dict[ReportName, str]:
        """The configured URL of each report that has one."""
        return dict(self.report_urls)

    @property
    def policy(self) -> LoadPolicy:
        """When a report looks wrong enough to be rejected."""
        return LoadPolicy(
            max_bad_row_ratio=self.max_bad_row_ratio,
            min_row_ratio=self.min_row_ratio,
            min_rows_for_ratio=self.min_rows_for_ratio,
        )


def _url(env: Mapping[str, str], name: str) -> str | None:
    raw = text(env, name)
    if raw is None:
        return None
    try:
        parts = urlsplit(raw)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid:
        fail(f"{name} must be an http(s) URL such as https://fms.example.com/reports/vehicles.csv")
    return raw


def _timezone(env: Mapping[str, str]) -> str:
    name = text(env, "SYNC_TIMEZONE") or "America/Los_Angeles"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        fail(f"SYNC_TIMEZONE must be an IANA time zone such as America/Los_Angeles, got {name!r}")
    return name


def sync_from_env(env: Mapping[str, str], *, fms_environment: str) -> SyncSettings:
    """Read and check the sync variables; the schedule is on by default outside the sandbox."""
    urls = tuple((report, url) for report, name in REPORT_URL_SETTINGS.items() if (url := _url(env, name)))
    timeout = integer(env, "SYNC_HTTP_TIMEOUT_SECONDS", 60, low=1, high=3600)
    return SyncSettings(
        enabled=boolean(env, "SYNC_ENABLED", fms_environment != "sandbox"),
        hour=integer(env, "SYNC_HOUR", 2, low=0, high=23),
        minute=integer(env, "SYNC_MINUTE", 0, low=0, high=59),
        timezone=_timezone(env),
        report_urls=urls,
        max_bad_row_ratio=ratio(env, "SYNC_MAX_BAD_ROW_RATIO", 0.05),
        min_row_ratio=ratio(env, "SYNC_MIN_ROW_RATIO", 0.5),
        min_rows_for_ratio=integer(env, "SYNC_MIN_ROWS_FOR_RATIO", 20, low=0, high=10_000_000),
        http_timeout_seconds=float(timeout),
        http_deadline_seconds=float(integer(env, "SYNC_HTTP_DEADLINE_SECONDS", 900, low=1, high=86_400)),
        max_download_bytes=integer(env, "SYNC_MAX_DOWNLOAD_MB", 512, low=1, high=16_384) * 1024 * 1024,
        max_upload_bytes=integer(env, "SYNC_MAX_UPLOAD_MB", 512, low=1, high=16_384) * 1024 * 1024,
    )
