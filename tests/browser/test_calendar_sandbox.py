"""The calendar in the sandbox (no authentication), clicked in Chromium: what FMS holds afterwards."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.support import Service, get_json, serve
from tests.waits import browser_ms

pytestmark = pytest.mark.browser
OFFICE = "Los Angeles"


@pytest.fixture(scope="module")
def service() -> Iterator[Service]:
    """One sandbox service for the module; each test works on other bars."""
    with serve() as running:
        yield running


def open_calendar(page: Page, service: Service) -> None:
    page.goto(f"{service.base}/?office=Los%20Angeles")
    expect(page.locator("body")).to_have_attribute("data-loaded", "true")


def no_fms_vin(service: Service) -> str:
    vehicles = get_json(f"{service.base}/api/calendar/vehicles?office=Los%20Angeles")["vehicles"]
    return str(next(v["vin"] for v in vehicles if v["vehicle_id"] is None))


def planned_bars(page: Page, service: Service) -> Locator:
    """Planned bars FMS can take (their vehicle has an FMS id), nothing under way."""
    return page.locator(
        f'.row:not([data-vin="{no_fms_vin(service)}"]) .bar[data-status="planned"][data-fms-state="none"]'
    )


def bar(page: Page, assignment_id: int) -> Locator:
    return page.locator(f'.bar[data-assignment-id="{assignment_id}"]')


def act(page: Page, assignment_id: int, action: str) -> None:
    bar(page, assignment_id).click()
    page.locator(f'#bar-dialog [data-action="{action}"]').click()


def test_request_unrequest_delete_reach_fms(page: Page, service: Service, screenshot_dir: Path) -> None:
    open_calendar(page, service)
    target = planned_bars(page, service).first
    assignment_id = int(target.get_attribute("data-assignment-id") or 0)
    held_before = service.held()
    act(page, assignment_id, "request")
    expect(bar(page, assignment_id)).to_have_attribute("data-status", "requested")
    expect(bar(page, assignment_id)).to_have_class(re.compile(r"\bstatus-requested\b"))
    expect(bar(page, assignment_id)).to_have_attribute("data-fms-state", "open")
    held = service.held()
    assert set(held) - set(held_before) == {assignment_id}
    page.screenshot(path=str(screenshot_dir / "calendar.png"))
    act(page, assignment_id, "unrequest")
    expect(bar(page, assignment_id)).to_have_attribute("data-status", "planned")
    assert assignment_id not in service.held()
    act(page, assignment_id, "delete")
    expect(bar(page, assignment_id)).to_have_count(0)
    assert service.held() == held_before
    status = get_json(
        f"{service.base}/api/calendar/activity?office=Los%20Angeles&start_date=2020-01-01&end_date=2060-01-01"
    )
    assert assignment_id not in {a["assignment_id"] for a in status["activities"]}


def test_a_refusal_shows_the_services_message(page: Page, service: Service) -> None:
    open_calendar(page, service)
    vin = no_fms_vin(service)
    target = page.locator(f'.row[data-vin="{vin}"] .bar[data-fms-state="none"][data-assignment-id]').first
    assignment_id = int(target.get_attribute("data-assignment-id") or 0)
    held_before = service.held()
    act(page, assignment_id, "request")
    expect(page.locator("#bar-error")).to_contain_text(vin)
    expect(page.locator("#message")).to_contain_text(vin)
    expect(bar(page, assignment_id)).to_have_attribute("data-fms-state", "none")
    assert service.held() == held_before


def test_bulk_request_with_live_progress_keeps_failures_selected(
    page: Page, service: Service, screenshot_dir: Path
) -> None:
    open_calendar(page, service)
    bars = planned_bars(page, service)
    ids = [int(bars.nth(i).get_attribute("data-assignment-id") or 0) for i in range(4)]
    vin = no_fms_vin(service)
    refused = page.locator(f'.row[data-vin="{vin}"] .bar[data-fms-state="none"][data-assignment-id]').first
    refused_id = int(refused.get_attribute("data-assignment-id") or 0)
    for assignment_id in [*ids, refused_id]:
        bar(page, assignment_id).click(modifiers=["Shift"])
    expect(page.locator("#bulk-count")).to_have_text("5 selected")
    held_before = service.held()
    service.sim_call("/_control/faults", {"latency_ms": 700})
    try:
        page.locator('[data-bulk="request"]').click()
        expect(page.locator("#bulk-progress-text")).to_contain_text(re.compile(r"request: [1-4] of 5"))
        page.screenshot(path=str(screenshot_dir / "bulk-in-progress.png"))
        expect(page.locator("#bulk-progress-text")).to_have_text(
            "request: 4 succeeded, 1 failed of 5",
            timeout=5 * browser_ms(),  # five calls, one at a time at most
        )
    finally:
        service.sim_call("/_control/faults", {"latency_ms": 0})
    assert set(service.held()) - set(held_before) == set(ids)
    for assignment_id in ids:
        expect(bar(page, assignment_id)).to_have_attribute("data-status", "requested")
        expect(bar(page, assignment_id)).not_to_have_class(re.compile(r"\bselected\b"))
    expect(bar(page, refused_id)).to_have_class(re.compile(r"\bselected\b"))
    expect(page.locator("#bulk-count")).to_have_text("1 selected")
    expect(page.locator("#bulk-results .failed")).to_contain_text(vin)


def test_an_unknown_outcome_is_marked_and_listed_for_attention(
    page: Page, service: Service, screenshot_dir: Path
) -> None:
    open_calendar(page, service)
    assignment_id = int(planned_bars(page, service).last.get_attribute("data-assignment-id") or 0)
    service.sim_call("/_control/faults", {"mode": "error", "status": 500, "fail_next": 1})
    act(page, assignment_id, "request")
    expect(page.locator("#bar-error")).to_contain_text("FMS may have acted")
    page.locator('#bar-dialog [data-action="close"]').click()
    page.locator("#prev-week").click()  # a reload shows what the service recorded
    expect(bar(page, assignment_id)).to_have_attribute("data-fms-state", "unknown")
    page.locator("#open-attention").click()
    entry = page.locator("#attention-list li", has_text=f"#{assignment_id} ")
    expect(entry).to_contain_text("unknown")
    page.screenshot(path=str(screenshot_dir / "attention.png"))
    entry.get_by_role("button", name="History").click()
    expect(page.locator("#history-ops tr")).not_to_have_count(0)
    page.locator("#history-close").click()


def test_a_new_booking_from_the_free_vehicles_panel(page: Page, service: Service) -> None:
    open_calendar(page, service)
    page.locator("#open-free").click()
    page.locator("#free-start").fill("2027-02-01")
    page.locator("#free-end").fill("2027-02-08")
    page.locator("#free-find").click()
    expect(page.locator("#free-summary")).to_contain_text("vehicles free from 2027-02-01 to 2027-02-08")
    first = page.locator("#free-list li").first
    vin = (first.text_content() or "").split()[-2]
    first.get_by_role("button").click()
    page.locator("#booking-save").click()
    expect(page.locator("#booking-dialog")).not_to_be_visible()
    found = get_json(
        f"{service.base}/api/calendar/activity?office=Los%20Angeles&start_date=2027-02-01&end_date=2027-02-08&vin={vin}"
    )["activities"]
    assert [(a["status"], a["start_date"], a["end_date"]) for a in found] == [
        ("manual", "2027-02-01", "2027-02-08")
    ]
    page.locator("#free-find").click()
    expect(page.locator("#free-list")).not_to_contain_text(vin)
