"""The calendar inside FMS's iframe, with authentication: the token flow, and who may frame it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Frame, Page, expect

from tests.browser.support import AUDIENCE, ISSUER, JWT_SECRET, Service, mint, serve, static_site
from tests.process_support import free_port

pytestmark = pytest.mark.browser

PARENT = """<!doctype html><html><body><iframe id="cal" width="1300" height="800"></iframe><script>
window.tokenRequests = []; window.nextToken = null;
window.addEventListener("message", (e) => {
  if (!e.data || e.data.type !== "media-scheduler:token-request") return;
  window.tokenRequests.push(e.origin);
  if (!window.nextToken) return;
  e.source.postMessage({type: "media-scheduler:token", token: window.nextToken}, e.origin);
});
</script></body></html>"""
# Another origin's page, loaded into the parent beside the calendar, offering a token of its own.
INTRUDER = """<!doctype html><script>
parent.frames[0].postMessage({type: "media-scheduler:token", token: location.hash.slice(1)}, "*");
</script>"""


@dataclass(frozen=True)
class Sites:
    service: Service
    parent: str  # allowed to frame the calendar and to hand it tokens
    other: str  # neither


@pytest.fixture(scope="module")
def sites() -> Iterator[Sites]:
    pages = {"/parent.html": PARENT, "/intruder.html": INTRUDER}
    parent_port = free_port()
    with static_site(pages, port=parent_port) as parent, static_site(pages) as other:
        auth = {"AUTH_JWT_SECRET": JWT_SECRET, "AUTH_JWT_ISSUER": ISSUER, "AUTH_JWT_AUDIENCE": AUDIENCE}
        with serve(FRAME_ANCESTORS=f"'self' {parent}", **auth) as service:
            yield Sites(service, parent, other)


def api_tokens(page: Page) -> list[str | None]:
    """The bearer token of every API call the page (and its frames) makes, in order."""
    seen: list[str | None] = []
    page.on("request", lambda r: seen.append(r.headers.get("authorization")) if "/api/" in r.url else None)
    return seen


def calendar(page: Page, sites: Sites, token: str, parent: str | None = None) -> Frame:
    page.goto(f"{parent or sites.parent}/parent.html")
    # Resolves once the iframe's document has loaded: the calendar, or the error page of a refused frame.
    page.evaluate(
        """url => new Promise(loaded => {
            const frame = document.getElementById('cal');
            frame.addEventListener('load', loaded, {once: true});
            frame.src = url;
        })""",
        f"{sites.service.base}/#embed_token={token}",
    )
    return page.frames[1]


def test_the_token_is_used_on_every_call_and_leaves_the_address_bar(page: Page, sites: Sites) -> None:
    seen = api_tokens(page)
    token = mint()
    frame = calendar(page, sites, token)
    expect(frame.locator("body")).to_have_attribute("data-loaded", "true")
    assert "embed_token" not in frame.evaluate("location.href")
    assert frame.evaluate("location.hash") == ""
    frame.locator("#next-week").click()
    expect(frame.locator("#range")).not_to_be_empty()
    frame.locator("#open-attention").click()
    expect(frame.locator("#attention-summary")).not_to_be_empty()
    assert len(seen) >= 6
    assert set(seen) == {f"Bearer {token}"}


def test_a_fresh_token_is_asked_for_and_taken_from_the_parent_only(page: Page, sites: Sites) -> None:
    seen = api_tokens(page)
    lifetime = 8
    first, fresh, intruder = mint(lifetime), mint(600, sub="u-fresh"), mint(600, sub="u-intruder")
    frame = calendar(page, sites, first)
    expect(frame.locator("body")).to_have_attribute("data-loaded", "true")
    page.evaluate("t => { window.nextToken = t; }", fresh)
    # The page asks for a new token before its own expires: within the token's lifetime.
    page.wait_for_function("() => window.tokenRequests.length > 0", timeout=lifetime * 1000)
    assert page.evaluate("window.tokenRequests")[0] == sites.service.base
    with page.expect_request(lambda r: "/api/" in r.url) as asked:
        frame.locator("#next-week").click()
    assert asked.value.headers.get("authorization") == f"Bearer {fresh}"
    # A page of another origin inside the parent offers its token: ignored. The calendar's own listener
    # ran first, so once this later listener has seen the intruder's message, the calendar has too.
    frame.evaluate("() => { window.heard = []; addEventListener('message', e => heard.push(e.origin)); }")
    page.evaluate(
        "url => { const f = document.createElement('iframe'); f.src = url; document.body.append(f); }",
        f"{sites.other}/intruder.html#{intruder}",
    )
    frame.wait_for_function("origin => window.heard.includes(origin)", arg=sites.other)
    with page.expect_request(lambda r: "/api/" in r.url) as asked:
        frame.locator("#prev-week").click()
    assert asked.value.headers.get("authorization") == f"Bearer {fresh}"
    assert f"Bearer {intruder}" not in seen


def test_an_expired_token_shows_the_session_expired_state(page: Page, sites: Sites) -> None:
    page.goto(f"{sites.service.base}/#embed_token={mint(-60)}")
    expect(page.locator("#session-expired")).to_be_visible()
    expect(page.locator("#session-expired")).to_contain_text("Session expired")
    assert "embed_token" not in page.url


def test_without_a_token_the_page_asks_and_shows_the_session_expired_state(page: Page, sites: Sites) -> None:
    page.goto(f"{sites.service.base}/")
    expect(page.locator("#session-expired")).to_be_visible()


def test_a_page_on_another_origin_cannot_frame_the_calendar(page: Page, sites: Sites) -> None:
    seen = api_tokens(page)
    frame = calendar(page, sites, mint(), parent=sites.other)
    assert frame.locator("#timeline").count() == 0
    assert seen == []
