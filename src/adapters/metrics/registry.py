"""ServiceMetrics: every metric of the service, on a registry of its own (never the global default).

A registry per container keeps tests and several apps in one process apart. Each replica serves its
own counters; Prometheus sums them across replicas (README: Metrics).
"""

from __future__ import annotations

from collections.abc import Mapping

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

PREFIX = "media_scheduler"
CONTENT_TYPE = CONTENT_TYPE_LATEST
UNSETTLED_STATES = ("creating", "deleting", "unknown")
_FMS_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0)
_SYNC_BUCKETS = (0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0)


class ServiceMetrics:
    """The service's counters, histograms and gauges, and their text exposition."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.fms_calls = Counter(
            f"{PREFIX}_fms_calls", "FMS calls by call and outcome", ["call", "outcome"], registry=r
        )
        self.fms_call_duration = Histogram(
            f"{PREFIX}_fms_call_duration_seconds", "FMS call latency", ["call"], buckets=_FMS_BUCKETS,
            registry=r,
        )  # fmt: skip
        self.unsettled = Gauge(
            f"{PREFIX}_fms_operations_unsettled",
            "Assignments whose FMS call is under way or unknown (read from the database at scrape time)",
            ["state"],
            registry=r,
        )
        self.sync_runs = Counter(
            f"{PREFIX}_sync_runs", "Finished sync runs by result", ["result"], registry=r
        )
        self.sync_duration = Histogram(
            f"{PREFIX}_sync_duration_seconds", "Sync run duration", buckets=_SYNC_BUCKETS, registry=r
        )
        self.sync_rows = Counter(
            f"{PREFIX}_sync_rows", "Report rows loaded or rejected by syncs", ["report", "kind"], registry=r
        )
        self.recovery_settled = Counter(
            f"{PREFIX}_recovery_settled", "Operations the recovery worker examined, by how they ended",
            ["how"], registry=r,
        )  # fmt: skip
        self.bulk_items = Counter(
            f"{PREFIX}_bulk_items", "Bulk items by action and result", ["action", "result"], registry=r
        )
        self.http_requests = Counter(
            f"{PREFIX}_http_requests", "HTTP requests by route template, method and status",
            ["route", "method", "status"], registry=r,
        )  # fmt: skip
        self.http_duration = Histogram(
            f"{PREFIX}_http_request_duration_seconds", "HTTP request latency by route template and method",
            ["route", "method"], registry=r,
        )  # fmt: skip

    def fms_call(self, call: str, outcome: str, seconds: float) -> None:
        """One FMS call ended (create, delete or lookup) with this outcome."""
        self.fms_calls.labels(call, outcome).inc()
        self.fms_call_duration.labels(call).observe(seconds)

    def http_request(self, route: str, method: str, status: int, seconds: float) -> None:
        """One HTTP request answered."""
        self.http_requests.labels(route, method, str(status)).inc()
        self.http_duration.labels(route, method).observe(seconds)

    def sync_finished(self, result: str, seconds: float | None, rows: Mapping[str, tuple[int, int]]) -> None:
        """A sync run ended (success, partial, failed); rows: report -> (loaded, rejected)."""
        self.sync_runs.labels(result).inc()
        if seconds is not None:
            self.sync_duration.observe(seconds)
        for report, (loaded, rejected) in rows.items():
            self.sync_rows.labels(report, "loaded").inc(loaded)
            self.sync_rows.labels(report, "rejected").inc(rejected)

    def recovery_pass(self, counts: Mapping[str, int]) -> None:
        """What one recovery pass did with the operations it examined: how -> how many."""
        for how, n in counts.items():
            if n:
                self.recovery_settled.labels(how).inc(n)

    def bulk_item(self, action: str, result: str) -> None:
        """One item of a bulk operation ended (result: success or its error code)."""
        self.bulk_items.labels(action, result).inc()

    def set_unsettled(self, counts: Mapping[str, int]) -> None:
        """The database's current count of unsettled operations per state (0 for a state not given)."""
        for state in UNSETTLED_STATES:
            self.unsettled.labels(state).set(counts.get(state, 0))

    def exposition(self) -> bytes:
        """Every metric in the Prometheus text format."""
        return generate_latest(self.registry)
