"""CORS from the allowlist, framing only by FMS, protective headers on every answer, body size limit."""

from __future__ import annotations

import pytest

from tests.e2e.security.conftest import Secured, SecuredFactory
from tests.e2e.security.tokens import FMS_ORIGIN, bearer, mint
from tests.e2e.world import OFFICE, PARTNER, VIN_OK

CALENDAR = "https://calendar.example.com"


@pytest.mark.parametrize("method", ["PATCH", "DELETE", "POST"])
async def test_preflight_from_an_allowed_origin(secured: Secured, method: str) -> None:
    r = await secured.client.options(
        "/api/calendar/change-assignment-status/1",
        headers={
            "Origin": CALENDAR,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == CALENDAR
    assert method in r.headers["access-control-allow-methods"]
    assert "authorization" in r.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in r.headers


async def test_preflight_from_another_origin_is_refused(secured: Secured) -> None:
    r = await secured.client.options(
        "/api/fms/delete-vehicle-request/1",
        headers={"Origin": "https://evil.example.com", "Access-Control-Request-Method": "DELETE"},
    )
    assert r.status_code == 400
    assert "access-control-allow-origin" not in r.headers


async def test_simple_requests_echo_only_allowed_origins(secured: Secured) -> None:
    ok = await secured.client.get("/api/offices", headers={"Origin": CALENDAR, **bearer(mint())})
    assert ok.headers["access-control-allow-origin"] == CALENDAR
    assert "retry-after" in ok.headers["access-control-expose-headers"].lower()
    other = await secured.client.get("/api/offices", headers={"Origin": "https://evil.example.com"})
    assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize(
    ("path", "token"), [("/healthz", None), ("/api/offices", "good"), ("/api/offices", None), ("/nope", None)]
)
async def test_protective_headers_on_every_answer(secured: Secured, path: str, token: str | None) -> None:
    r = await secured.client.get(path, headers=bearer(mint()) if token else {})
    assert r.headers["content-security-policy"] == f"frame-ancestors 'self' {FMS_ORIGIN}"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    if path.startswith("/api/"):
        assert r.headers["cache-control"] == "no-store"


async def test_default_frame_ancestors_is_self(make_secured: SecuredFactory) -> None:
    async with make_secured(frame_ancestors=("'self'",)) as env:
        r = await env.client.get("/healthz")
    assert r.headers["content-security-policy"] == "frame-ancestors 'self'"


async def test_a_body_over_the_limit_is_413_with_detail(secured: Secured) -> None:
    body = {
        "vin": VIN_OK,
        "person_id": PARTNER,
        "start_day": "2026-12-01",
        "office": OFFICE,
        "pad": "x" * 5000,
    }
    r = await secured.client.post("/api/calendar/schedule-assignment", json=body, headers=bearer(mint()))
    assert r.status_code == 413
    assert r.json()["detail"]
    body["pad"] = "x" * 100
    r = await secured.client.post("/api/calendar/schedule-assignment", json=body, headers=bearer(mint()))
    assert r.status_code == 201
