"""Every route needs a valid token, except an explicit public list: generated from the app's route table."""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute

from entrypoints.http.auth import admin_only
from tests.e2e.security.conftest import Secured
from tests.e2e.security.tokens import BAD_TOKENS, bearer, mint

# And everything under /schema (the OpenAPI docs). The calendar page and its files hold no data.
PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/healthz/db"),
    ("GET", "/healthz/ready"),
    ("GET", "/"),
    ("GET", "/ui/x"),
}
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
KNOWN_MUTATING = {
    ("PATCH", "/api/calendar/change-assignment-status/1"),
    ("POST", "/api/fms/create-vehicle-request/1"),
    ("DELETE", "/api/fms/delete-vehicle-request/1"),
    ("DELETE", "/api/calendar/delete-assignment/1"),
    ("POST", "/api/calendar/schedule-assignment"),
    ("POST", "/api/chain-builder/save-chain"),
}


def concrete(path: str) -> str:
    """A callable path for a route template: int parameters 1, others 'x'."""
    path = re.sub(r"\{[^}:]+:int\}", "1", path)
    return re.sub(r"\{[^}]+\}", "x", path)


def route_table(app: Litestar) -> list[tuple[str, str, bool]]:
    """(method, concrete path, admin_only) for every handler of the app, OPTIONS/HEAD left out."""
    table: list[tuple[str, str, bool]] = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            for method in sorted(handler.http_methods - {"OPTIONS", "HEAD"}):
                table.append((str(method), concrete(route.path), admin_only in handler.resolve_guards()))
    return table


def protected(app: Litestar) -> list[tuple[str, str, bool]]:
    """The routes that must refuse anonymous callers."""
    return [(m, p, a) for m, p, a in route_table(app) if (m, p) not in PUBLIC and not p.startswith("/schema")]


async def test_the_route_table_is_what_the_tests_cover(secured: Secured) -> None:
    table = {(m, p) for m, p, _ in route_table(secured.app)}
    assert table >= KNOWN_MUTATING
    assert table >= PUBLIC
    assert ("GET", "/api/fms/config", True) in protected(secured.app)


async def test_every_route_without_a_token_is_401_before_anything_runs(secured: Secured) -> None:
    for method, path, _ in protected(secured.app):
        r = await secured.client.request(method, path, json={"vin": "x"})
        assert r.status_code == 401, (method, path, r.text)
        assert r.json()["detail"] == "authentication required"
        assert r.headers["www-authenticate"].startswith("Bearer")
    assert secured.gateway.calls == []


@pytest.mark.parametrize("kind", sorted(BAD_TOKENS))
async def test_every_route_refuses_a_bad_token(secured: Secured, kind: str) -> None:
    token = BAD_TOKENS[kind]()
    for method, path, _ in protected(secured.app):
        r = await secured.client.request(method, path, headers=bearer(token), json={})
        assert r.status_code == 401, (kind, method, path, r.text)
        assert 'error="invalid_token"' in r.headers["www-authenticate"] or kind == "garbage"
    assert secured.gateway.calls == []


@pytest.mark.parametrize(
    "header",
    ["Basic dXNlcjpwYXNz", "Bearer", "Bearer not-a-jwt", "Token {token}", "Bearer {token} extra"],
)
async def test_malformed_authorization_headers_are_401(secured: Secured, header: str) -> None:
    r = await secured.client.get("/api/offices", headers={"Authorization": header.format(token=mint())})
    assert r.status_code == 401


async def test_a_valid_token_opens_every_route_it_has_the_role_for(secured: Secured) -> None:
    scheduler, admin = bearer(mint()), bearer(mint(roles=["admin"]))
    for method, path, admin_route in protected(secured.app):
        if method in MUTATING:
            continue  # the happy paths of mutating routes are covered by their own tests
        r = await secured.client.request(method, path, headers=admin if admin_route else scheduler)
        assert r.status_code not in (401, 403), (method, path, r.text)


async def test_public_routes_need_no_token(secured: Secured) -> None:
    for path in ("/healthz", "/healthz/db", "/schema/openapi.json", "/", "/ui/js/main.js", "/ui/app.css"):
        assert (await secured.client.get(path)).status_code == 200, path
    assert (await secured.client.get("/healthz/ready")).status_code in (200, 503)  # no 401: public


async def test_an_embed_token_in_the_url_is_not_a_credential(secured: Secured) -> None:
    r = await secured.client.get("/api/offices", params={"embed_token": mint()})
    assert r.status_code == 401
    assert "Authorization: Bearer" in r.json()["detail"]
    r = await secured.client.get("/api/offices", headers=bearer(mint()))
    assert r.status_code == 200


async def test_the_openapi_schema_documents_the_security_answers(secured: Secured) -> None:
    schema = (await secured.client.get("/schema/openapi.json")).json()
    assert schema["security"] == [{"BearerToken": []}]
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if path in ("/healthz", "/healthz/db", "/healthz/ready"):
                assert operation["security"] == [], path
            else:
                assert {"401", "403"} <= set(operation["responses"]), (method, path)
    assert "429" in schema["paths"]["/api/fms/create-vehicle-request/{assignment_id}"]["post"]["responses"]
    assert "admin" in schema["paths"]["/api/fms/config"]["get"]["responses"]["403"]["description"]
