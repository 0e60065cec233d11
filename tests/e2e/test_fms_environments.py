"""Request / Unrequest / Delete work the same against every FMS: sandbox fake, sandbox simulator, staging."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import pytest

from tests.e2e.fms_envs import KINDS, USER_FMS_ID, FmsEnv, fms_env
from tests.e2e.world import PARTNER, VIN_OK, schedule

PATCH = "/api/calendar/change-assignment-status/{}"
SIM_KINDS = ("sandbox-simulator", "staging")


@pytest.fixture(params=KINDS)
async def env(request: pytest.FixtureRequest) -> AsyncIterator[FmsEnv]:
    """The service against one kind of FMS."""
    async with fms_env(request.param) as e:
        yield e


@pytest.fixture(params=SIM_KINDS)
async def sim_env(request: pytest.FixtureRequest) -> AsyncIterator[FmsEnv]:
    """The service against an FMS simulator (in-process sandbox, or staging pointed at one)."""
    async with fms_env(request.param) as e:
        yield e


async def audit(env: FmsEnv, assignment_id: int) -> list[tuple[str, str, int | None]]:
    async with env.factory() as uow:
        return [
            (o.call, o.outcome.value, o.status_code)
            for o in await uow.operations.for_assignment(assignment_id)
        ]


async def test_request_unrequest_delete(env: FmsEnv) -> None:
    client = env.client
    aid = await schedule(client)

    r = await client.patch(PATCH.format(aid), params={"new_status": "requested"})
    assert r.status_code == 200, r.text
    assert (r.json()["fms_action"], r.json()["new_status"], r.json()["fms_state"]) == (
        "create",
        "requested",
        "open",
    )
    fms_id = r.json()["fms_request_id"]
    held = env.held()
    assert list(held) == [fms_id]
    assert held[fms_id].vehicle_id == 89943
    assert held[fms_id].loanee_id == PARTNER
    assert held[fms_id].requestor_id == env.requestor_id
    assert held[fms_id].requestor_notes.startswith(f"media-scheduler:assignment={aid}:op=")

    r = await client.patch(PATCH.format(aid), params={"new_status": "requested"})
    assert r.json()["fms_action"] == "none"
    assert len(env.held()) == 1

    r = await client.patch(PATCH.format(aid), params={"new_status": "planned"})
    assert (r.status_code, r.json()["fms_action"], r.json()["new_status"]) == (200, "delete", "planned")
    assert env.held() == {}

    await client.patch(PATCH.format(aid), params={"new_status": "requested"})
    assert len(env.held()) == 1
    r = await client.delete(f"/api/calendar/delete-assignment/{aid}")
    assert (r.status_code, r.json()["deleted_from_fms"]) == (200, True)
    assert env.held() == {}
    assert await audit(env, aid) == [
        ("create", "success", 201),
        ("delete", "success", 204),
        ("create", "success", 201),
        ("delete", "success", 204),
    ]
    assert (await client.patch(PATCH.format(aid), params={"new_status": "manual"})).status_code == 404


async def test_create_and_delete_vehicle_request_routes(env: FmsEnv) -> None:
    aid = await schedule(env.client)
    r = await env.client.post(f"/api/fms/create-vehicle-request/{aid}")
    assert (r.status_code, r.json()["status"]) == (200, "requested")
    r = await env.client.delete(f"/api/fms/delete-vehicle-request/{aid}")
    assert r.json() == {
        "success": True,
        "message": "assignment removed and its FMS request deleted",
        "assignment_id": aid,
        "deleted_from_fms": True,
    }
    assert env.held() == {}


async def test_the_simulator_received_the_documented_wire_format(sim_env: FmsEnv) -> None:
    aid = await schedule(sim_env.client, start="2026-12-01")
    await sim_env.client.patch(PATCH.format(aid), params={"new_status": "requested"})
    async with sim_env.control() as control:
        received = (await control.get("/_control/received")).json()["received"]
    (call,) = [c for c in received if c["method"] == "POST"]
    assert call["authorization_scheme"] == "Token"
    assert call["content_type"] == "application/json"
    sent = call["body"]["request"]
    assert (sent["start_date"], sent["end_date"]) == ("12/01/26", "12/08/26")
    assert sent["requestor_id"] == (USER_FMS_ID if sim_env.kind == "staging" else 1949)
    assert sent["requests_vehicles"] == [{"vehicle_id": 89943, "notes": f"Audi Q5 (VIN: {VIN_OK})"}]
    assert (sent["activity_to"], sent["reason"], sent["activity_type_id"]) == ("Rivera, Alex", "MotorWeek", 1)
    assert "activity_type_subcategory_id" not in sent


async def fault(env: FmsEnv, **spec: object) -> None:
    async with env.control() as control:
        (await control.post("/_control/faults", json=spec)).raise_for_status()


async def test_fms_refusal_is_422_with_fms_own_message(sim_env: FmsEnv) -> None:
    aid = await schedule(sim_env.client)
    await fault(sim_env, mode="error", status=422, detail="Loanee is not allowed to borrow this fleet")
    r = await sim_env.client.patch(PATCH.format(aid), params={"new_status": "requested"})
    assert r.status_code == 422
    assert "Loanee is not allowed to borrow this fleet" in r.json()["detail"]
    assert (r.json()["fms_state"], r.json()["fms_status_code"]) == ("none", 422)
    assert sim_env.held() == {}


@pytest.mark.parametrize(
    ("spec", "status", "held"),
    [
        ({"mode": "error", "status": 500}, 502, 0),
        ({"mode": "commit_then_fail", "status": 503}, 502, 1),
        ({"mode": "commit_then_hang"}, 504, 1),
        ({"mode": "drop"}, 504, 0),
    ],
)
async def test_ambiguous_outcomes_leave_the_assignment_unknown(
    sim_env: FmsEnv, spec: dict[str, object], status: int, held: int
) -> None:
    aid = await schedule(sim_env.client)
    await fault(sim_env, **spec)
    r = await sim_env.client.patch(PATCH.format(aid), params={"new_status": "requested"})
    assert r.status_code == status, r.text
    assert (r.json()["fms_state"], r.json()["may_have_reached_fms"]) == ("unknown", True)
    assert len(sim_env.held()) == held
    again = await sim_env.client.patch(PATCH.format(aid), params={"new_status": "requested"})
    assert again.status_code == 409  # never a second create while the first is unknown
    assert len(sim_env.held()) == held


async def test_a_wrong_fms_token_is_502_and_nothing_is_created() -> None:
    async with fms_env("staging", app_token="not-the-simulator-token") as env:
        aid = await schedule(env.client)
        r = await env.client.patch(PATCH.format(aid), params={"new_status": "requested"})
        assert r.status_code == 502
        assert "refused our credentials" in r.json()["detail"]
        assert (r.json()["fms_state"], r.json()["fms_status_code"]) == ("none", 401)
        assert env.held() == {}


async def test_an_unreachable_fms_is_503() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    async with fms_env("staging", url=closed) as env:
        aid = await schedule(env.client)
        r = await env.client.patch(PATCH.format(aid), params={"new_status": "requested"})
        assert r.status_code == 503
        assert r.json()["fms_state"] == "none"


@pytest.mark.parametrize("kind", KINDS)
async def test_fms_config_says_where_fms_is_but_never_the_token(kind: str) -> None:
    async with fms_env(kind) as env:
        body = (await env.client.get("/api/fms/config")).json()
    assert body["environment"] == kind.split("-")[0]
    assert body["token_configured"] is (kind != "sandbox-memory")
    assert body["requestor_id"] == 1949
    if env.sim_url is not None:
        assert body["base_url"].startswith(env.sim_url)
    assert set(body) == {
        "environment",
        "base_url",
        "requestor_id",
        "token_configured",
        "activity_type_id",
        "lookup_enabled",
        "timeout_seconds",
        "connect_timeout_seconds",
    }
