"""Roles decide what a caller may do; the FMS requestor is the verified person, never a caller's field."""

from __future__ import annotations

from entrypoints.http.auth import admin_only
from tests.e2e.security.conftest import Secured
from tests.e2e.security.test_auth_required import protected
from tests.e2e.security.tokens import bearer, mint
from tests.e2e.world import OFFICE, PARTNER, VIN_OK

PATCH = "/api/calendar/change-assignment-status/{}"
SPOOFED_QUERY = {"requestor_id": "1", "fms_user_id": "1", "requestorId": "1", "actor": "mallory"}
SPOOFED_BODY = {"requestor_id": 1, "fms_user_id": 1, "requestorId": 1, "actor": "mallory", "roles": ["admin"]}


async def schedule(env: Secured, token: str, vin: str = VIN_OK) -> int:
    body = {"vin": vin, "person_id": PARTNER, "start_day": "2026-12-01", "office": OFFICE, **SPOOFED_BODY}
    r = await env.client.post("/api/calendar/schedule-assignment", json=body, headers=bearer(token))
    assert r.status_code == 201, r.text
    assignment_id: int = r.json()["assignment"]["assignment_id"]
    return assignment_id


async def test_a_scheduler_gets_403_on_every_admin_route(secured: Secured) -> None:
    admin_routes = [(m, p) for m, p, admin in protected(secured.app) if admin]
    assert ("GET", "/api/fms/config") in admin_routes
    for method, path in admin_routes:
        r = await secured.client.request(method, path, headers=bearer(mint(roles=["scheduler"])))
        assert r.status_code == 403, (method, path)
        assert r.json()["detail"] == "this needs the admin role"


async def test_an_admin_reads_the_configuration_without_secrets(secured: Secured) -> None:
    r = await secured.client.get("/api/fms/config", headers=bearer(mint(roles=["admin"])))
    assert r.status_code == 200
    assert r.json()["environment"] == "sandbox"


async def test_scheduler_routes_need_the_scheduler_role(secured: Secured) -> None:
    for roles in ([], ["admin"], ["Scheduler"], ["viewer"]):
        token = mint(roles=roles)
        for method, path, admin in protected(secured.app):
            if not admin:
                r = await secured.client.request(method, path, headers=bearer(token), json={})
                assert r.status_code == 403, (roles, method, path)
    assert secured.gateway.calls == []


async def test_roles_can_be_a_space_separated_string(secured: Secured) -> None:
    r = await secured.client.get("/api/fms/config", headers=bearer(mint(roles="scheduler admin")))
    assert r.status_code == 200


async def test_admin_only_is_a_reusable_guard() -> None:
    from litestar import Litestar, Router, get

    @get("/api/admin/trigger-sync-probe")
    async def probe() -> dict[str, str]:
        return {}

    app = Litestar([Router("/", route_handlers=[probe], guards=[admin_only])])
    [handler] = [h for r in app.routes for h in getattr(r, "route_handlers", []) if h.handler_name == "probe"]
    assert admin_only in handler.resolve_guards()


async def test_the_requestor_is_the_tokens_fms_user_and_no_field_can_change_it(secured: Secured) -> None:
    token = mint(fms_user_id=4242, email="dana@example.com")
    aid = await schedule(secured, token)
    r = await secured.client.patch(
        PATCH.format(aid),
        params={"new_status": "requested", **SPOOFED_QUERY},
        json=SPOOFED_BODY,
        headers={**bearer(token), "X-FMS-User-Id": "1", "X-Requestor-Id": "1", "X-Actor": "mallory"},
    )
    assert r.status_code == 200, r.text
    [stored] = secured.gateway.requests.values()
    assert stored.request.requestor_id == 4242
    async with secured.factory() as uow:
        [operation] = await uow.operations.for_assignment(aid)
    assert (operation.actor, operation.requestor_id) == ("dana@example.com", 4242)


async def test_create_route_takes_the_requestor_from_the_token_too(secured: Secured) -> None:
    token = mint(fms_user_id=777)
    aid = await schedule(secured, token)
    r = await secured.client.post(
        f"/api/fms/create-vehicle-request/{aid}",
        params=SPOOFED_QUERY,
        json=SPOOFED_BODY,
        headers=bearer(token),
    )
    assert r.status_code == 200, r.text
    assert [s.request.requestor_id for s in secured.gateway.requests.values()] == [777]


async def test_without_the_claim_the_configured_default_requestor_is_used(secured: Secured) -> None:
    token = mint(fms_user_id=None, email=None, sub="u-2002")
    aid = await schedule(secured, token)
    r = await secured.client.patch(
        PATCH.format(aid), params={"new_status": "requested", **SPOOFED_QUERY}, headers=bearer(token)
    )
    assert r.status_code == 200
    assert [s.request.requestor_id for s in secured.gateway.requests.values()] == [1949]
    async with secured.factory() as uow:
        [operation] = await uow.operations.for_assignment(aid)
    assert operation.actor == "u-2002"


async def test_a_malformed_fms_user_id_claim_is_refused_not_ignored(secured: Secured) -> None:
    for bad in ("4242", True, -1, 0, 2**40):
        r = await secured.client.get("/api/offices", headers=bearer(mint(fms_user_id=bad)))  # type: ignore[arg-type]
        assert r.status_code == 401, bad
        assert "fms_user_id" in r.json()["detail"]
