"""Browser tests: Playwright driving Debian's Chromium; skipped, saying how to get one, without it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.browser.support import NO_CHROMIUM, chromium_path
from tests.waits import browser_ms

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium per module. Not per session: sync Playwright keeps an event loop marked
    running in this thread while it lives, which the asyncio tests of other modules cannot share."""
    executable = chromium_path()
    if executable is None:
        pytest.skip(NO_CHROMIUM)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page (own context: no shared storage); page errors fail the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(browser_ms())  # actions and waits: as long as the API calls they make
    expect.set_options(timeout=browser_ms())
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == []


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """docs/screenshots with UPDATE_SCREENSHOTS=1 (for the README), else a temporary directory."""
    return SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
