"""Deeply nested JSON is a 400 naming the limit on every route that takes a JSON body, the FMS webhook
included, on memory and on PostgreSQL (issue 25, item 3). That nothing is stored: the hostile corpus."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from tests.e2e.app_env import Env
from tests.e2e.webhook_support import open_env, push
from tests.e2e.world import OFFICE, PARTNER, VIN_OK, Client
from tests.pg_support import DatabaseFactory

JSON_ROUTES = [
    "/api/calendar/schedule-assignment",
    "/api/chain-builder/save-chain",
    "/api/chain-builder/save-vehicle-chain",
    "/api/calendar/save-schedule",
    "/api/fms/bulk-create-vehicle-requests",
    "/api/fms/bulk-unrequest-vehicle-requests",
    "/api/fms/bulk-delete-vehicle-requests",
    "/api/fms/resolve/1",
]
DEEP_ARRAYS = b"[" * 1000 + b"]" * 1000  # the 2 KB body
DEEP_OBJECTS = b'{"a":' * 1000 + b"1" + b"}" * 1000
DEEP_IN_A_FIELD = (
    json.dumps({"vin": VIN_OK, "person_id": PARTNER, "start_day": "2026-12-01", "office": OFFICE})[:-1]
    + ', "extra": '
    + "[" * 1000
    + "]" * 1000
    + "}"
).encode()
BODIES = {
    "1,000 nested arrays": DEEP_ARRAYS,
    "1,000 nested objects": DEEP_OBJECTS,
    "deep field": DEEP_IN_A_FIELD,
}
JSON = {"content-type": "application/json"}


@pytest.fixture(params=["memory", "postgres"])
async def env(request: pytest.FixtureRequest, pg_database_factory: DatabaseFactory) -> AsyncIterator[Env]:
    """The app with FMS_WEBHOOK_SECRET set (the webhook route exists), on either storage."""
    async for opened in open_env(request.param, pg_database_factory):
        yield opened


def assert_too_deep(status: int, body: dict[str, object], what: str) -> None:
    """A 400 whose detail says the body nests too deeply, and how deep it may."""
    assert status == 400, (what, status, body)
    detail = str(body["detail"])
    assert "nest" in detail, (what, detail)
    assert "32" in detail, (what, detail)


@pytest.mark.parametrize("what", sorted(BODIES))
async def test_deep_json_is_400_on_every_json_route(env: Env, what: str) -> None:
    client: Client = env[0]
    for path in JSON_ROUTES:
        r = await client.post(path, content=BODIES[what], headers=JSON)
        assert_too_deep(r.status_code, r.json(), f"{what} {path}")


async def test_deep_json_is_400_on_the_fms_webhook_even_signed(env: Env) -> None:
    for what, body in BODIES.items():
        r = await push(env[0], body)
        assert_too_deep(r.status_code, r.json(), what)


async def test_nesting_up_to_the_limit_is_read_as_usual(env: Env) -> None:
    """32 levels are decoded (and refused for their shape: 400 from validation, not from depth)."""
    client: Client = env[0]
    at_limit = b"[" * 32 + b"]" * 32
    r = await client.post(
        "/api/fms/bulk-create-vehicle-requests",
        content=at_limit,
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 400, r.text
    assert "nest" not in r.json()["detail"]


async def test_brackets_inside_strings_do_not_count(env: Env) -> None:
    client: Client = env[0]
    body = {
        "vin": VIN_OK,
        "person_id": PARTNER,
        "start_day": "2026-12-01",
        "office": OFFICE,
        "partner_name": '[{"\\' * 70,
    }
    r = await client.post("/api/calendar/schedule-assignment", json=body)
    assert r.status_code == 201, r.text
