"""Plain records of the sync: report names, bad rows, per-report results, runs, assignment events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class ReportName(StrEnum):
    """The FMS reports, in the order a full sync loads them (budget_spending is optional)."""

    VEHICLES = "vehicles"
    MEDIA_PARTNERS = "media_partners"
    APPROVED_MAKES = "approved_makes"
    LOAN_HISTORY = "loan_history"
    CURRENT_ACTIVITY = "current_activity"
    BUDGET_SPENDING = "budget_spending"


OPTIONAL_REPORTS = frozenset({ReportName.BUDGET_SPENDING})


class FailureKind(StrEnum):
    """Why a report was not loaded."""

    NOT_CONFIGURED = "not_configured"
    UNAVAILABLE = "unavailable"  # the source could not be read (HTTP error, missing file)
    REJECTED = "rejected"  # it was read but looks wrong (not CSV, wrong columns, too many bad rows)
    STORAGE = "storage"  # the database failed


@dataclass(frozen=True)
class BadRow:
    """A row left out: its line number in the file (1-based) and why."""

    line: int
    reason: str


@dataclass(frozen=True)
class LoadPolicy:
    """When a report looks wrong enough to be rejected (configurable: SYNC_* settings)."""

    max_bad_row_ratio: float = 0.05
    min_row_ratio: float = 0.5
    min_rows_for_ratio: int = 20
    bad_rows_kept: int = 100


@dataclass
class ReportResult:
    """What loading one report did."""

    report: ReportName
    success: bool
    message: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    duration_seconds: float = 0.0
    source: str | None = None
    failure: FailureKind | None = None
    bad_rows: list[BadRow] = field(default_factory=list)


@dataclass(frozen=True)
class ReconcileSummary:
    """Assignments the sync moved: (assignment_id, activity_id) pairs."""

    activated: list[tuple[int, int]] = field(default_factory=list)
    completed: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class SyncRun:
    """One sync run (a full sync or a single-report ingest), as recorded."""

    run_id: int
    trigger: str
    started_at: datetime
    finished_at: datetime | None = None
    results: list[ReportResult] = field(default_factory=list)
    reconciliation: ReconcileSummary | None = None
    error: str | None = None
    status: str = "running"  # running | finished | interrupted

    @property
    def duration_seconds(self) -> float | None:
        """Seconds from start to end (None while running)."""
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
