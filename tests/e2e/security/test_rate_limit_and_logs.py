"""FMS actions are rate limited per person (429 + Retry-After, logged with the actor); secrets never leak."""

from __future__ import annotations

import io
import json

from tests.e2e.security.conftest import SecuredFactory
from tests.e2e.security.tokens import SECRET, bad_tokens, bearer, mint
from tests.e2e.world import OFFICE, PARTNER, VIN_OK

PATCH = "/api/calendar/change-assignment-status/{}"


def lines(output: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.getvalue().splitlines() if line.startswith("{")]


async def test_fms_routes_are_limited_per_actor(
    make_secured: SecuredFactory, log_output: io.StringIO
) -> None:
    alex, sam = bearer(mint(email="alex@example.com")), bearer(mint(sub="u-2", email="sam@example.com"))
    async with make_secured(rate_limit_fms_per_minute=2) as env:
        for _ in range(2):
            r = await env.client.delete("/api/calendar/delete-assignment/999", headers=alex)
            assert r.status_code == 404
        r = await env.client.post("/api/fms/create-vehicle-request/999", headers=alex)
        assert r.status_code == 429
        assert 1 <= int(r.headers["retry-after"]) <= 30
        assert "too many FMS actions" in r.json()["detail"]
        assert (
            await env.client.patch(PATCH.format(999), params={"new_status": "manual"}, headers=sam)
        ).status_code == 404
        reads = [await env.client.get("/api/offices", headers=alex) for _ in range(5)]
        assert {r.status_code for r in reads} == {200}
        r = await env.client.post(
            "/api/calendar/schedule-assignment",
            json={"vin": VIN_OK, "person_id": PARTNER, "start_day": "2026-12-01", "office": OFFICE},
            headers=alex,
        )
        assert r.status_code == 201  # saving a plan does not call FMS
    limited = [line for line in lines(log_output) if line["event"] == "rate limited"]
    assert len(limited) == 1
    assert limited[0]["actor"] == "alex@example.com"
    assert limited[0]["path"] == "/api/fms/create-vehicle-request/999"


async def test_a_zero_limit_switches_rate_limiting_off(make_secured: SecuredFactory) -> None:
    async with make_secured(rate_limit_fms_per_minute=0) as env:
        for _ in range(5):
            r = await env.client.delete("/api/calendar/delete-assignment/999", headers=bearer(mint()))
            assert r.status_code == 404


async def test_actor_is_bound_to_every_log_line_of_the_request(
    make_secured: SecuredFactory, log_output: io.StringIO
) -> None:
    async with make_secured() as env:
        await env.client.get("/api/offices", headers=bearer(mint(email="kim@example.com")))
    access = [line for line in lines(log_output) if line["event"] == "request"]
    assert access[-1]["actor"] == "kim@example.com"


async def test_secrets_and_tokens_never_reach_logs_or_answers(
    make_secured: SecuredFactory, log_output: io.StringIO
) -> None:
    good = mint(roles=["scheduler", "admin"])
    tokens = [good, *bad_tokens().values()]
    bodies: list[str] = []
    async with make_secured(rate_limit_fms_per_minute=1) as env:
        for token in tokens:
            for method, path in [("GET", "/api/fms/config"), ("DELETE", "/api/fms/delete-vehicle-request/1")]:
                r = await env.client.request(method, path, headers=bearer(token))
                bodies.append(r.text + json.dumps(dict(r.headers)))
        for r in [
            await env.client.delete("/api/fms/delete-vehicle-request/1", headers=bearer(good)),  # 429
            await env.client.get("/api/offices", params={"embed_token": good}),
        ]:
            bodies.append(r.text + json.dumps(dict(r.headers)))
        assert SECRET not in repr(env.settings)
    logged = log_output.getvalue()
    assert "authentication refused" in logged
    assert "rate limited" in logged
    for text in [logged, *bodies]:
        assert SECRET not in text
        for token in tokens:
            signature = token.rsplit(".", 1)[-1]
            assert token not in text
            assert len(signature) < 16 or signature not in text
