"""POST /api/fms/webhooks/vehicle-requests: signed events from FMS, on memory and on PostgreSQL."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import pytest

from adapters.fms_faults import FmsFault
from application.ports import UnitOfWorkFactory
from domain.assignment import Assignment
from domain.values import FmsState, Status
from tests.e2e.app_env import Env
from tests.e2e.webhook_support import SECRET, WEBHOOK, event, open_env, push, sign
from tests.e2e.world import Client, schedule
from tests.pg_support import DatabaseFactory

PATCH = "/api/calendar/change-assignment-status/{}"


@pytest.fixture(params=["memory", "postgres"])
async def env(request: pytest.FixtureRequest, pg_database_factory: DatabaseFactory) -> AsyncIterator[Env]:
    """The app with FMS_WEBHOOK_SECRET set, on either storage."""
    async for opened in open_env(request.param, pg_database_factory):
        yield opened


async def requested(client: Client) -> tuple[int, int]:
    """A manual assignment, requested in FMS: (assignment id, FMS request id)."""
    aid = await schedule(client)
    r = await client.patch(PATCH.format(aid), params={"new_status": "requested"})
    assert r.status_code == 200, r.text
    return aid, r.json()["fms_request_id"]


async def stored(factory: UnitOfWorkFactory, aid: int) -> Assignment:
    """The assignment as stored now."""
    async with factory() as uow:
        a = await uow.assignments.get(aid)
    assert a is not None
    return a


async def test_a_signed_approval_turns_the_requested_assignment_active_at_once(env: Env) -> None:
    client, _, factory = env
    aid, fms_id = await requested(client)
    r = await push(client, event("evt-approve-1", "request.approved", fms_id, activity_id=880001))
    assert r.status_code == 200, r.text
    assert r.json() == {
        "event_id": "evt-approve-1",
        "outcome": "applied",
        "changed": [{"assignment_id": aid, "from_status": "requested", "to_status": "active"}],
    }
    a = await stored(factory, aid)
    assert (a.status, a.activity_id, a.fms_state) == (Status.ACTIVE, 880001, FmsState.NONE)
    async with factory() as uow:
        history = await uow.reconciliation.events(aid)
        remembered = await uow.fms_events.get("evt-approve-1")
    assert [(e.kind, e.activity_id) for e in history] == [("activated", 880001)]
    assert f"request {fms_id}" in history[0].reason
    assert remembered is not None
    assert remembered.outcome == "applied"


@pytest.mark.parametrize("kind", ["request.rejected", "request.cancelled"])
async def test_rejected_or_cancelled_returns_to_green_with_the_reason(env: Env, kind: str) -> None:
    client, _, factory = env
    aid, fms_id = await requested(client)
    r = await push(client, event("evt-no-1", kind, fms_id))
    assert r.status_code == 200, r.text
    assert r.json()["changed"] == [{"assignment_id": aid, "from_status": "requested", "to_status": "manual"}]
    a = await stored(factory, aid)
    assert (a.status, a.fms_state, a.fms_request_id) == (Status.MANUAL, FmsState.NONE, None)
    word = kind.removeprefix("request.")
    assert a.last_error is not None
    assert word in a.last_error
    async with factory() as uow:
        history = await uow.reconciliation.events(aid)
    assert [e.kind for e in history] == [word]
    assert str(fms_id) in history[0].reason  # the FMS request id stays in the history


async def test_a_bad_signature_changes_nothing(env: Env) -> None:
    client, _, factory = env
    aid, fms_id = await requested(client)
    body = event("evt-forged", "request.approved", fms_id, activity_id=880002)
    r = await push(client, body, secret="not-the-secret")
    assert r.status_code == 401
    tampered = await client.post(
        WEBHOOK,
        content=body.replace(b"880002", b"880003"),
        headers={"Content-Type": "application/json", **_headers_of(body)},
    )
    assert tampered.status_code == 401
    assert (await stored(factory, aid)).status is Status.REQUESTED
    async with factory() as uow:
        assert await uow.fms_events.get("evt-forged") is None


def _headers_of(body: bytes) -> dict[str, str]:
    return sign(body, int(time.time()), SECRET)


@pytest.mark.parametrize("skew", [-301, 301, 3600])
async def test_a_stale_timestamp_changes_nothing(env: Env, skew: int) -> None:
    client, _, factory = env
    aid, fms_id = await requested(client)
    body = event("evt-stale", "request.approved", fms_id, activity_id=880004)
    r = await push(client, body, timestamp=int(time.time()) + skew)
    assert r.status_code == 401
    assert "X-FMS-Timestamp" in r.json()["detail"]
    assert (await stored(factory, aid)).status is Status.REQUESTED


async def test_a_replayed_event_changes_nothing(env: Env) -> None:
    client, _, factory = env
    aid, fms_id = await requested(client)
    first = await push(client, event("evt-once", "request.rejected", fms_id))
    assert first.json()["outcome"] == "applied"
    again_id = (await client.patch(PATCH.format(aid), params={"new_status": "requested"})).json()
    assert again_id["new_status"] == "requested"
    # The same event again: remembered, so nothing changes (the new request stays requested).
    replay = await push(client, event("evt-once", "request.rejected", fms_id))
    assert replay.status_code == 200
    assert replay.json() == {"event_id": "evt-once", "outcome": "replayed", "changed": []}
    # The same event id about the new request is another body: refused, not "replayed".
    reused = await push(client, event("evt-once", "request.rejected", again_id["fms_request_id"]))
    assert reused.status_code == 409
    assert reused.json()["reason"] == "event_id_reused"
    assert (await stored(factory, aid)).status is Status.REQUESTED


async def test_an_event_before_the_request_is_known_waits_then_applies(env: Env) -> None:
    """FMS rejects a request whose create answered unclearly: the event waits (202), and applies once
    a person links the request (the create's outcome is then known)."""
    client, gateway, factory = env
    aid = await schedule(client)
    gateway.fail_next(FmsFault.COMMIT_THEN_FAIL)  # FMS created it, then answered 500
    assert (await client.patch(PATCH.format(aid), params={"new_status": "requested"})).status_code == 502
    [fms_id] = gateway.requests
    r = await push(client, event("evt-early", "request.rejected", fms_id))
    assert r.status_code == 202, r.text
    assert r.json() == {"event_id": "evt-early", "outcome": "waiting", "changed": []}
    again = await push(client, event("evt-early", "request.rejected", fms_id))  # FMS sends it again
    assert (again.status_code, again.json()["outcome"]) == (202, "waiting")

    r = await client.post(f"/api/fms/resolve/{aid}", json={"resolution": "link", "fms_request_id": fms_id})
    assert r.status_code == 200, r.text
    assert (r.json()["assignment"]["status"], r.json()["assignment"]["fms_state"]) == ("manual", "none")
    a = await stored(factory, aid)
    assert (a.status, a.fms_request_id) == (Status.MANUAL, None)
    assert a.last_error is not None
    assert "rejected" in a.last_error
    async with factory() as uow:
        remembered = await uow.fms_events.get("evt-early")
    assert remembered is not None
    assert remembered.outcome == "applied"
    replay = await push(client, event("evt-early", "request.rejected", fms_id))
    assert (replay.status_code, replay.json()["outcome"]) == (200, "replayed")


async def test_an_event_for_a_request_nobody_holds_yet_is_kept_waiting(env: Env) -> None:
    client, _, factory = env
    r = await push(client, event("evt-unknown", "request.approved", 123456789, activity_id=1))
    assert r.status_code == 202
    assert r.json()["outcome"] == "waiting"
    async with factory() as uow:
        remembered = await uow.fms_events.get("evt-unknown")
    assert remembered is not None
    assert (remembered.outcome, remembered.activity_id) == ("waiting", 1)


async def test_a_reused_event_id_with_another_body_is_refused(env: Env) -> None:
    client, _, factory = env
    aid, fms_id = await requested(client)
    first = await push(client, event("evt-reused", "request.approved", fms_id, activity_id=880010))
    assert first.status_code == 200, first.text
    other = await push(client, event("evt-reused", "request.approved", fms_id, activity_id=880011))
    assert other.status_code == 409, other.text
    assert "evt-reused" in other.json()["detail"]
    assert (await stored(factory, aid)).activity_id == 880010
    cancelled = await push(client, event("evt-reused", "request.cancelled", fms_id))
    assert cancelled.status_code == 409
    assert (await stored(factory, aid)).status is Status.ACTIVE


TIMESTAMPS = [
    "\u00b2".encode("latin-1"),  # a Unicode digit (superscript two): str.isdigit() says yes
    "\u0661\u0667\u0666\u0667".encode(),  # Arabic-Indic digits
    b"+1767225600",
    b" 1767225600",
    b"17672256000",
    b"176722560",
    b"1e9",
    b"",
]


@pytest.mark.parametrize("stamp", TIMESTAMPS)
async def test_a_timestamp_is_ten_ascii_digits(env: Env, stamp: bytes) -> None:
    client = env[0]
    body = event("evt-stamp", "request.approved", 1, activity_id=1)
    headers = {
        b"Content-Type": b"application/json",
        b"X-FMS-Timestamp": stamp,
        b"X-FMS-Signature": b"sha256=00",
    }
    r = await client.post(WEBHOOK, content=body, headers=headers)
    assert r.status_code == 401, r.text
    assert "X-FMS-Timestamp" in r.json()["detail"]


@pytest.mark.parametrize(
    "request_fields",
    [
        {"id": 0, "activity_id": 1},
        {"id": -5, "activity_id": 1},
        {"id": 2**63, "activity_id": 1},
        {"id": 2**70, "activity_id": 1},
        {"id": "5001", "activity_id": 1},
        {"id": 5001, "activity_id": 2**63},
        {"id": 5001, "activity_id": 0},
    ],
)
async def test_malformed_or_out_of_range_ids_are_400(env: Env, request_fields: dict[str, object]) -> None:
    client, _, factory = env
    body = json.dumps({"event_id": "evt-range", "type": "request.approved", "request": request_fields})
    r = await push(client, body.encode())
    assert r.status_code == 400, r.text
    assert "activity_id is required" not in r.json()["detail"]
    async with factory() as uow:
        assert await uow.fms_events.get("evt-range") is None


async def test_unreadable_events_are_refused(env: Env) -> None:
    client = env[0]
    no_activity = await push(client, event("evt-x", "request.approved", 5))
    assert no_activity.status_code == 400
    assert "activity_id" in no_activity.json()["detail"]
    assert (await push(client, b"[1, 2]")).status_code == 400
    assert (
        await push(client, b'{"event_id": "e", "type": "request.lost", "request": {"id": 1}}')
    ).status_code == 400


async def test_without_the_secret_the_route_does_not_exist(client: Client) -> None:
    r = await push(client, event("evt-1", "request.approved", 1, activity_id=1))
    assert r.status_code in (404, 405)
