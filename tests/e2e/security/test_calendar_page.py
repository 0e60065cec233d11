"""The calendar page as HTTP sees it: public files under a strict CSP, and its config (no secret)."""

from __future__ import annotations

import re

from entrypoints.http.page_paths import STATIC_DIR
from tests.e2e.conftest import Env
from tests.e2e.security.conftest import Secured, SecuredFactory
from tests.e2e.security.tokens import FMS_ORIGIN, bearer, mint

POLICY = "default-src 'none'; script-src 'self'; style-src 'self'"


async def test_the_page_and_its_files_are_served_under_a_strict_policy(secured: Secured) -> None:
    page = await secured.client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert csp.startswith(POLICY)
    assert "connect-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert csp.endswith(f"frame-ancestors 'self' {FMS_ORIGIN}")
    assert 'data-auth="bearer"' in page.text
    assert f"data-parent-origins=\"'self' {FMS_ORIGIN}\"" in page.text.replace("&#x27;", "'")
    script = await secured.client.get("/ui/js/main.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert script.headers["content-security-policy"].startswith(POLICY)
    api = await secured.client.get("/api/offices", headers=bearer(mint()))
    assert api.headers["content-security-policy"] == f"frame-ancestors 'self' {FMS_ORIGIN}"


def test_no_inline_script_or_style_in_the_shipped_files() -> None:
    html = (STATIC_DIR / "index.html").read_text()
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert "style=" not in html
    assert "<style" not in html
    for js in (STATIC_DIR / "js").glob("*.js"):
        text = js.read_text()
        assert "innerHTML" not in text, js.name  # DOM built node by node: no markup from data
        assert "eval(" not in text, js.name
        assert len(text.splitlines()) < 200, js.name


async def test_the_page_config_names_the_caller_and_the_parent_origins(secured: Secured) -> None:
    r = await secured.client.get("/api/ui/config")
    assert r.status_code == 401
    r = await secured.client.get("/api/ui/config", headers=bearer(mint(roles=["scheduler"])))
    assert r.status_code == 200
    body = r.json()
    assert body["auth"] == "bearer"
    assert body["roles"] == ["scheduler"]
    assert body["parent_origins"] == ["'self'", FMS_ORIGIN]
    assert body["data_as_of"] is None
    assert "secret" not in r.text.lower()


async def test_embed_parent_origins_replace_the_framers(make_secured: SecuredFactory) -> None:
    async with make_secured(embed_parent_origins=("https://parent.example.com",)) as env:
        page = await env.client.get("/")
        assert 'data-parent-origins="https://parent.example.com"' in page.text
        assert page.headers["content-security-policy"].endswith(f"frame-ancestors 'self' {FMS_ORIGIN}")


async def test_the_sandbox_page_needs_no_token_and_reports_the_last_sync(app_env: Env) -> None:
    client = app_env[0]
    page = await client.get("/")
    assert 'data-auth="none"' in page.text
    before = (await client.get("/api/ui/config")).json()
    assert before["roles"] == ["admin", "scheduler"]
    assert before["last_sync"] is None
