"""GET /metrics: FMS calls, syncs, unsettled operations and HTTP requests, and who may read them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from adapters.fms_faults import FmsFault
from adapters.metrics.registry import ServiceMetrics
from application.sync.records import ReportName
from tests.e2e.app_env import Env
from tests.e2e.webhook_support import open_env
from tests.e2e.world import Client, schedule
from tests.pg_support import DatabaseFactory
from tests.sync_support import fixture_bytes

PATCH = "/api/calendar/change-assignment-status/{}"


@pytest.fixture(params=["memory", "postgres"])
async def env(request: pytest.FixtureRequest, pg_database_factory: DatabaseFactory) -> AsyncIterator[Env]:
    """The sandbox app (open, like every sandbox route), on either storage."""
    async for opened in open_env(request.param, pg_database_factory):
        yield opened


async def scrape(client: Client, headers: dict[str, str] | None = None) -> dict[str, float]:
    """Every sample of /metrics by its name and labels, as written in the exposition."""
    r = await client.get("/metrics", headers=headers or {})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    samples: dict[str, float] = {}
    for line in r.text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples


async def test_a_sandbox_request_is_counted_and_timed(env: Env) -> None:
    client = env[0]
    aid = await schedule(client)
    r = await client.patch(PATCH.format(aid), params={"new_status": "requested"})
    assert r.status_code == 200
    m = await scrape(client)
    assert m['media_scheduler_fms_calls_total{call="create",outcome="success"}'] == 1
    assert m['media_scheduler_fms_call_duration_seconds_count{call="create"}'] == 1
    route = "/api/calendar/change-assignment-status/{assignment_id}"
    assert m[f'media_scheduler_http_requests_total{{method="PATCH",route="{route}",status="200"}}'] == 1
    assert not any(f"status/{aid}" in key for key in m)  # route templates, not raw paths


async def test_refusals_and_unknown_outcomes_are_counted_and_the_unknown_gauged(env: Env) -> None:
    client, gateway, _ = env
    first, second = await schedule(client), await schedule(client, start="2026-12-20")
    gateway.fail_next(FmsFault.REFUSE)
    assert (await client.patch(PATCH.format(first), params={"new_status": "requested"})).status_code == 422
    gateway.fail_next(FmsFault.COMMIT_THEN_FAIL)
    await client.patch(PATCH.format(second), params={"new_status": "requested"})
    m = await scrape(client)
    assert m['media_scheduler_fms_calls_total{call="create",outcome="refused"}'] == 1
    assert m['media_scheduler_fms_calls_total{call="create",outcome="ambiguous"}'] == 1
    assert m['media_scheduler_fms_operations_unsettled{state="unknown"}'] == 1
    assert m['media_scheduler_fms_operations_unsettled{state="creating"}'] == 0


async def test_a_sync_counts_its_rows(env: Env) -> None:
    client = env[0]
    files = {"file": ("vehicles.csv", fixture_bytes(ReportName.VEHICLES), "text/csv")}
    assert (await client.post("/ingest/vehicles", files=files)).status_code == 200
    m = await scrape(client)
    assert m['media_scheduler_sync_rows_total{kind="loaded",report="vehicles"}'] == 4
    assert m['media_scheduler_sync_rows_total{kind="rejected",report="vehicles"}'] == 0
    assert m['media_scheduler_sync_runs_total{result="success"}'] == 1
    assert m["media_scheduler_sync_duration_seconds_count"] == 1


async def test_two_apps_in_one_process_keep_their_own_counters(
    env: Env, pg_database_factory: DatabaseFactory
) -> None:
    client = env[0]
    await client.get("/healthz")
    async for other in open_env("memory", pg_database_factory):
        m = await scrape(other[0])
        assert not any(k.startswith("media_scheduler_http_requests_total") for k in m)


def test_metric_names_follow_prometheus_conventions() -> None:
    text = ServiceMetrics().exposition().decode()
    names = set(re.findall(r"^# TYPE (\S+) ", text, flags=re.MULTILINE))
    assert {
        "media_scheduler_fms_calls_total",
        "media_scheduler_fms_call_duration_seconds",
        "media_scheduler_fms_operations_unsettled",
        "media_scheduler_sync_runs_total",
        "media_scheduler_sync_duration_seconds",
        "media_scheduler_sync_rows_total",
        "media_scheduler_recovery_settled_total",
        "media_scheduler_bulk_items_total",
        "media_scheduler_http_requests_total",
        "media_scheduler_http_request_duration_seconds",
    } <= names


async def test_bulk_items_are_counted_by_action_and_result(env: Env) -> None:
    client = env[0]
    first, second = await schedule(client), await schedule(client, start="2026-12-20")
    body = {"assignment_ids": [first, second, 987654]}
    r = await client.post("/api/fms/bulk-create-vehicle-requests", json=body)
    assert r.status_code == 200, r.text
    m = await scrape(client)
    assert m['media_scheduler_bulk_items_total{action="request",result="success"}'] == 2
    assert m['media_scheduler_bulk_items_total{action="request",result="not_found"}'] == 1
    assert m['media_scheduler_fms_calls_total{call="create",outcome="success"}'] == 2
