"""End to end: the sync and ingest routes on the sandbox (built-in FMS simulator), memory and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient

from application.sync.records import ReportName
from entrypoints.http.app import create_app
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.service import Settings
from entrypoints.wiring.container import Container, build_container, resolve
from tests.e2e.world import Client
from tests.pg_support import DatabaseFactory
from tests.sync_support import fixture_bytes

HTML = b"<!DOCTYPE html><html><body>Service Unavailable</body></html>"


@dataclass
class SyncEnv:
    """A client on the service and the URL of its FMS simulator (which also serves the reports)."""

    client: Client
    container: Container
    sim_url: str


async def _env(settings: Settings) -> AsyncIterator[SyncEnv]:
    container = build_container(settings)
    async with AsyncTestClient(app=create_app(container)) as client:
        simulator = await resolve(container.fms_simulator)
        yield SyncEnv(client, container, simulator.url)


@pytest.fixture(params=["memory", "postgres"])
async def sync_env(
    request: pytest.FixtureRequest, pg_database_factory: DatabaseFactory
) -> AsyncIterator[SyncEnv]:
    """The sandbox service with the simulator, on memory and on a fresh PostgreSQL database."""
    dsn = await pg_database_factory() if request.param == "postgres" else None
    settings = Settings(
        storage_backend=request.param,
        database_url=dsn,
        demo_data=False,
        fms=FmsSettings(sandbox="simulator", sandbox_latency_ms=0),
    )
    async for env in _env(settings):
        yield env


@pytest.fixture
async def memory_env() -> AsyncIterator[SyncEnv]:
    """The sandbox service with the simulator, on memory only (for the cheaper checks)."""
    settings = Settings(
        storage_backend="memory", demo_data=False, fms=FmsSettings(sandbox="simulator", sandbox_latency_ms=0)
    )
    async for env in _env(settings):
        yield env


async def trigger(client: Client) -> dict[str, Any]:
    """POST trigger-sync and return its summary."""
    response = await client.post("/api/admin/trigger-sync")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def requestable(client: Client) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """An office, one of its vehicles with an FMS id, and one of its partners."""
    office = (await client.get("/api/offices")).json()[0]["name"]
    vehicles = (await client.get("/api/calendar/vehicles", params={"office": office})).json()["vehicles"]
    partners = (await client.get("/api/calendar/media-partners", params={"office": office})).json()[
        "partners"
    ]
    return office, next(v for v in vehicles if v["vehicle_id"] is not None), partners[0]


async def test_trigger_sync_loads_every_report_and_an_approved_request_turns_active(
    sync_env: SyncEnv,
) -> None:
    client = sync_env.client
    first = await trigger(client)
    assert [r["table"] for r in first["results"]] == [r.value for r in ReportName]
    assert all(r["success"] for r in first["results"]), first["results"]
    assert first["success_count"] == 6
    assert first["failure_count"] == 0
    assert first["total_rows_processed"] == sum(r["rows_processed"] for r in first["results"]) > 15_000

    office, vehicle, partner = await requestable(client)
    start = date.today() + timedelta(days=90)
    body = {
        "vin": vehicle["vin"],
        "person_id": partner["person_id"],
        "start_day": start.isoformat(),
        "office": office,
    }
    created = await client.post("/api/calendar/schedule-assignment", json=body)
    assert created.status_code == 201, created.text
    assignment_id = created.json()["assignment"]["assignment_id"]
    path = f"/api/calendar/change-assignment-status/{assignment_id}"
    requested = await client.patch(path, params={"new_status": "requested"})
    assert requested.status_code == 200, requested.text
    request_id = requested.json()["fms_request_id"]
    async with httpx.AsyncClient(base_url=sync_env.sim_url) as control:
        approved = await control.post(f"/_control/requests/{request_id}/approve")
    activity_id = approved.json()["activity_id"]

    second = await trigger(client)
    assert second["reconciliation"]["activated"] == [
        {"assignment_id": assignment_id, "activity_id": activity_id}
    ]
    window = {
        "office": office,
        "start_date": start.isoformat(),
        "end_date": start.isoformat(),
        "vin": vehicle["vin"],
    }
    items = (await client.get("/api/calendar/activity", params=window)).json()["activities"]
    mine = [i for i in items if i["assignment_id"] == assignment_id]
    assert len(mine) == 1
    assert mine[0]["status"] == "active"
    assert mine[0]["activity_id"] == activity_id
    assert not [i for i in items if i["activity_id"] == activity_id and i["assignment_id"] is None]

    status = (await client.get("/api/admin/sync-status")).json()
    assert status["last_sync"]["run_id"] == second["run_id"]
    assert (status["sync_hour"], status["sync_minute"], status["sync_enabled"]) == (2, 0, False)
    assert status["scheduler_running"] is False
    assert status["running"] is False


async def test_the_integration_guide_names_answer_the_same(memory_env: SyncEnv) -> None:
    run = (await memory_env.client.post("/api/ingest/sync")).json()
    status = (await memory_env.client.get("/api/ingest/sync/status")).json()
    assert status["last_sync"] == run
    assert all(r["configured"] for r in status["reports"])


async def test_upload_loads_a_report_and_a_bad_one_keeps_the_rows(sync_env: SyncEnv) -> None:
    client = sync_env.client
    files = {"file": ("vehicles.csv", fixture_bytes(ReportName.VEHICLES), "text/csv")}
    loaded = await client.post("/ingest/vehicles", files=files)
    assert loaded.status_code == 200, loaded.text
    assert (loaded.json()["success"], loaded.json()["rows_processed"]) == (True, 4)
    refused = await client.post("/ingest/vehicles", files={"file": ("vehicles.csv", HTML, "text/html")})
    assert refused.status_code == 422
    assert "HTML" in refused.json()["detail"]
    vehicles = (await client.get("/api/calendar/vehicles", params={"office": "Los Angeles"})).json()
    assert vehicles["count"] == 3


async def test_upload_errors(memory_env: SyncEnv) -> None:
    client = memory_env.client
    unknown = await client.post("/ingest/trucks", files={"file": ("t.csv", b"1,2\n", "text/csv")})
    assert unknown.status_code == 404
    assert "vehicles" in unknown.json()["detail"]
    missing = await client.post("/ingest/vehicles", files={"other": ("t.csv", b"1,2\n", "text/csv")})
    assert missing.status_code == 400


async def test_ingest_from_url_only_on_the_report_hosts(memory_env: SyncEnv) -> None:
    client, sim = memory_env.client, memory_env.sim_url
    ok = await client.post(
        "/ingest/current_activity/url", params={"url": f"{sim}/reports/current_activity.csv"}
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["rows_processed"] > 1000
    for url in ("http://127.0.0.2:9/x.csv", "http://169.254.169.254/latest/meta-data", "file:///etc/passwd"):
        refused = await client.post("/ingest/vehicles/url", params={"url": url})
        assert refused.status_code == 422, url
        assert "URL refused" in refused.json()["detail"]
    gone = await client.post("/ingest/vehicles/url", params={"url": f"{sim}/reports/nothing.csv"})
    assert gone.status_code == 502
    assert "HTTP 404" in gone.json()["detail"]
