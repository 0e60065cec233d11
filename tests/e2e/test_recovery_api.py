"""End to end: assignment history, what needs attention, hand resolution and the audit log."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from adapters.fms_faults import FmsFault
from adapters.memory.fms_gateway import MemoryFmsGateway
from entrypoints.http.app import create_app
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.service import RecoverySettings, Settings
from entrypoints.wiring.container import build_container
from tests.e2e.conftest import Env
from tests.e2e.world import Client, schedule, seed
from tests.waits import settle_seconds, until

PATCH = "/api/calendar/change-assignment-status/{}"


async def test_an_unknown_create_is_shown_and_resolved_by_hand(app_env: Env) -> None:
    client, gateway, _ = app_env
    aid = await schedule(client)
    gateway.fail_next(FmsFault.COMMIT_THEN_FAIL)
    r = await client.patch(PATCH.format(aid), params={"new_status": "requested"})
    assert r.status_code == 502
    [held] = gateway.requests

    attention = (await client.get("/api/fms/attention")).json()
    assert attention["count"] == 1
    item = attention["assignments"][0]
    assert (item["assignment"]["assignment_id"], item["assignment"]["fms_state"], item["pending_kind"]) == (
        aid,
        "unknown",
        "create",
    )
    assert item["assignment"]["last_error"]
    assert [o["outcome"] for o in item["operations"]] == ["ambiguous"]

    r = await client.post(f"/api/fms/resolve/{aid}", json={"resolution": "link", "fms_request_id": held})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["assignment"]["status"], body["assignment"]["fms_request_id"]) == ("requested", held)
    assert [o["call"] for o in body["operations"]] == ["create", "resolve"]
    assert (await client.get("/api/fms/attention")).json()["count"] == 0

    r = await client.patch(PATCH.format(aid), params={"new_status": "manual"})  # and it unrequests normally
    assert r.json()["fms_action"] == "delete"
    assert gateway.requests == {}


async def test_resolve_errors(client: Client) -> None:
    aid = await schedule(client)
    r = await client.post(f"/api/fms/resolve/{aid}", json={"resolution": "not_sent"})
    assert r.status_code == 409  # nothing pending
    r = await client.post(f"/api/fms/resolve/{aid}", json={"resolution": "maybe"})
    assert r.status_code == 422
    assert "resolution must be one of" in r.json()["detail"]
    assert (await client.post("/api/fms/resolve/999", json={"resolution": "deleted"})).status_code == 404
    assert (await client.post(f"/api/fms/resolve/{aid}", json={"fms_request_id": 1})).status_code == 400


async def test_assignment_detail_and_operations_log(client: Client) -> None:
    aid = await schedule(client)
    await client.patch(PATCH.format(aid), params={"new_status": "requested"})
    await client.patch(PATCH.format(aid), params={"new_status": "planned"})
    detail = (await client.get(f"/api/assignments/{aid}")).json()
    assert detail["assignment"]["status"] == "planned"
    assert [(o["call"], o["purpose"], o["outcome"]) for o in detail["operations"]] == [
        ("create", "create", "success"),
        ("delete", "unrequest", "success"),
    ]
    assert (await client.get("/api/assignments/424242")).status_code == 404

    log = (await client.get("/api/fms/operations", params={"assignment_id": aid})).json()
    assert [o["call"] for o in log["operations"]] == ["delete", "create"]  # newest first
    assert (await client.get("/api/fms/operations", params={"actor": "nobody"})).json()["count"] == 0
    ok = await client.get(
        "/api/fms/operations", params={"outcome": "success", "since": "2000-01-01T00:00:00"}
    )
    assert ok.json()["count"] == 2
    assert (await client.get("/api/fms/operations", params={"outcome": "odd"})).status_code == 422
    assert (await client.get("/api/fms/operations", params={"since": "yesterday"})).status_code == 400
    assert (await client.get("/api/fms/operations", params={"limit": 0})).status_code == 400


async def test_the_worker_in_the_service_settles_an_ambiguous_create() -> None:
    settings = Settings(
        storage_backend="memory",
        demo_data=False,
        fms=FmsSettings(
            sandbox_latency_ms=0, timeout_seconds=0.05, connect_timeout_seconds=0.05, sandbox="memory"
        ),
        recovery=RecoverySettings(interval_seconds=0.05, stale_after_seconds=0.2),
    )
    container = build_container(settings)
    factory, gateway = container.uow_factory(), container.fms_gateway()
    assert isinstance(gateway, MemoryFmsGateway)
    await seed(factory)
    async with AsyncTestClient(app=create_app(container)) as client:
        aid = await schedule(client)
        gateway.fail_next(FmsFault.COMMIT_THEN_FAIL)
        r = await client.patch(PATCH.format(aid), params={"new_status": "requested"})
        assert r.json()["fms_state"] == "unknown"

        async def settled() -> bool:
            state.update((await client.get(f"/api/assignments/{aid}")).json()["assignment"])
            return bool(state["fms_state"] != "unknown")

        state: dict[str, Any] = {}
        await until(settled, within=settle_seconds(settings.recovery, settings.fms), what="recovery")
        [held] = gateway.requests
        assert (state["status"], state["fms_state"], state["fms_request_id"]) == ("requested", "open", held)
