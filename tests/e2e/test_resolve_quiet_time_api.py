"""End to end: people respect the quiet time after an ambiguous answer (issue 21, item 5).

After a create or delete whose outcome was unclear, FMS may still act for one lease. Inside that
time, a person may not conclude that FMS did nothing (`not_sent`, `still_open`): 409 with the time
until which FMS may still act, which the attention list shows too. With and without lookups (staging
and production cannot look a request up), on memory and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from adapters.fms_faults import FmsFault
from adapters.memory.clock import FixedClock
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.service import RecoverySettings
from tests.e2e.app_env import Env, open_env
from tests.e2e.world import schedule
from tests.pg_support import DatabaseFactory

PATCH = "/api/calendar/change-assignment-status/{}"
LEASE = timedelta(seconds=RecoverySettings().stale_after_seconds)

QuietEnv = tuple[Env, FixedClock, bool]  # the app, its clock, whether FMS lookups are on


@pytest.fixture(
    params=[("memory", True), ("memory", False), ("postgres", True), ("postgres", False)],
    ids=["memory-lookup", "memory-no-lookup", "postgres-lookup", "postgres-no-lookup"],
)
async def quiet_env(
    request: pytest.FixtureRequest, pg_database_factory: DatabaseFactory
) -> AsyncIterator[QuietEnv]:
    """The app on a clock the test moves, with FMS lookups on (sandbox) or off (staging, production)."""
    backend, lookup = request.param
    clock = FixedClock(datetime.now(UTC))
    fms = FmsSettings(sandbox_latency_ms=0, sandbox="memory", lookup_enabled=lookup)
    async for env in open_env(backend, pg_database_factory, fms=fms, clock=clock):
        yield env, clock, lookup


def _when(text: str | None) -> datetime:
    assert text is not None
    return datetime.fromisoformat(text)


async def test_not_sent_inside_the_quiet_time_is_409_with_the_time(quiet_env: QuietEnv) -> None:
    (client, gateway, _), clock, _lookup = quiet_env
    aid = await schedule(client)
    gateway.fail_next(FmsFault.HANG)  # FMS did not create it yet, but may still do so
    r = await client.patch(PATCH.format(aid), params={"new_status": "requested"})
    assert r.status_code == 504, r.text
    until = clock.now() + LEASE

    [item] = (await client.get("/api/fms/attention")).json()["assignments"]
    assert (item["call_under_way"], _when(item["fms_may_act_until"])) == (False, until)
    detail = (await client.get(f"/api/assignments/{aid}")).json()
    assert _when(detail["fms_may_act_until"]) == until

    r = await client.post(f"/api/fms/resolve/{aid}", json={"resolution": "not_sent"})
    assert r.status_code == 409, r.text
    assert _when(r.json()["fms_may_act_until"]) == until
    assert until.isoformat() in r.json()["detail"]
    after = (await client.get(f"/api/assignments/{aid}")).json()
    assert after["assignment"]["fms_state"] == "unknown"
    assert [o["call"] for o in after["operations"]] == ["create"]  # nothing looked up, nothing resolved

    clock.advance(LEASE)  # the quiet time is over: FMS did not act, the person's word stands
    [item] = (await client.get("/api/fms/attention")).json()["assignments"]
    assert item["fms_may_act_until"] is None
    r = await client.post(f"/api/fms/resolve/{aid}", json={"resolution": "not_sent"})
    assert r.status_code == 200, r.text
    assert r.json()["assignment"]["fms_state"] == "none"


async def test_still_open_inside_the_quiet_time_is_409(quiet_env: QuietEnv) -> None:
    (client, gateway, _), clock, _lookup = quiet_env
    aid = await schedule(client)
    assert (await client.patch(PATCH.format(aid), params={"new_status": "requested"})).status_code == 200
    gateway.fail_next(FmsFault.HANG)  # the delete's outcome is unclear: FMS may delete it later
    r = await client.patch(PATCH.format(aid), params={"new_status": "planned"})
    assert r.json()["fms_state"] == "deleting", r.text

    r = await client.post(f"/api/fms/resolve/{aid}", json={"resolution": "still_open"})
    assert r.status_code == 409, r.text
    assert _when(r.json()["fms_may_act_until"]) == clock.now() + LEASE
    assert (await client.get(f"/api/assignments/{aid}")).json()["assignment"]["fms_state"] == "deleting"

    clock.advance(LEASE + timedelta(seconds=1))
    r = await client.post(f"/api/fms/resolve/{aid}", json={"resolution": "still_open"})
    assert r.status_code == 200, r.text
    assert (r.json()["assignment"]["status"], r.json()["assignment"]["fms_state"]) == ("requested", "open")


async def test_what_fms_visibly_did_may_be_recorded_at_once(quiet_env: QuietEnv) -> None:
    """A request seen in FMS (link) or seen gone (deleted) cannot be undone by FMS acting later."""
    (client, gateway, _), _clock, _lookup = quiet_env
    aid = await schedule(client)
    gateway.fail_next(FmsFault.COMMIT_THEN_FAIL)
    await client.patch(PATCH.format(aid), params={"new_status": "requested"})
    [held] = gateway.requests
    r = await client.post(f"/api/fms/resolve/{aid}", json={"resolution": "link", "fms_request_id": held})
    assert r.status_code == 200, r.text
    gateway.fail_next(FmsFault.COMMIT_THEN_FAIL)  # deleted in FMS, then an unclear answer
    await client.patch(PATCH.format(aid), params={"new_status": "planned"})
    assert gateway.requests == {}
    r = await client.post(f"/api/fms/resolve/{aid}", json={"resolution": "deleted"})
    assert r.status_code == 200, r.text
    assert r.json()["assignment"]["status"] == "planned"


async def test_after_the_quiet_time_not_sent_is_checked_by_a_lookup_where_there_is_one(
    quiet_env: QuietEnv,
) -> None:
    (client, gateway, _), clock, lookup = quiet_env
    aid = await schedule(client)
    gateway.fail_next(FmsFault.COMMIT_THEN_FAIL)  # FMS created it, then answered 500
    r = await client.patch(PATCH.format(aid), params={"new_status": "requested"})
    assert r.status_code == 502
    [held] = gateway.requests
    clock.advance(LEASE)
    r = await client.post(f"/api/fms/resolve/{aid}", json={"resolution": "not_sent"})
    item = (await client.get(f"/api/assignments/{aid}")).json()
    if not lookup:  # staging/production: only the quiet time protects, the person's word stands
        assert r.status_code == 200, r.text
        assert [o["call"] for o in item["operations"]] == ["create", "resolve"]
        return
    assert r.status_code == 409, r.text
    assert f"fms_request_id {held}" in r.json()["detail"]
    assert item["assignment"]["fms_state"] == "unknown"
    assert [o["call"] for o in item["operations"]] == ["create", "lookup"]  # the check is audited
