"""POST /api/fms/webhooks/vehicle-requests: signed events from FMS, on memory and on PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest

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
    # The same event id again (even about the new request): remembered, so nothing changes.
    replay = await push(client, event("evt-once", "request.rejected", again_id["fms_request_id"]))
    assert replay.status_code == 200
    assert replay.json() == {"event_id": "evt-once", "outcome": "replayed", "changed": []}
    assert (await stored(factory, aid)).status is Status.REQUESTED


async def test_an_unknown_request_id_answers_202(env: Env) -> None:
    client, _, factory = env
    r = await push(client, event("evt-unknown", "request.approved", 123456789, activity_id=1))
    assert r.status_code == 202
    assert r.json()["outcome"] == "unknown_request"
    async with factory() as uow:
        remembered = await uow.fms_events.get("evt-unknown")
    assert remembered is not None
    assert remembered.outcome == "unknown_request"


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
