"""End to end: dates outside what FMS carries answer 422, loans have a maximum length, a save has a
maximum number of slots (413), and a 409 lists at most 50 clashes with their total count."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.e2e.world import OFFICE, PARTNER, VIN_BUSY, VIN_OK, Client

SAVE_CHAIN = "/api/chain-builder/save-chain"
SAVE_VEHICLE_CHAIN = "/api/chain-builder/save-vehicle-chain"
SCHEDULE = "/api/calendar/schedule-assignment"
SAVE_SCHEDULE = "/api/calendar/save-schedule"


def chain(n: int, vin: str = VIN_BUSY, start: date = date(2026, 11, 30), nights: int = 7) -> dict[str, Any]:
    """A partner's chain of n slots, every one on the same days of one vehicle."""
    end = start + timedelta(days=nights)
    slots = [{"vin": vin, "start_date": start.isoformat(), "end_date": end.isoformat()} for _ in range(n)]
    return {"person_id": PARTNER, "office": OFFICE, "chain": slots}


async def test_a_chain_of_201_slots_is_too_large(client: Client) -> None:
    r = await client.post(SAVE_CHAIN, json=chain(201))
    assert r.status_code == 413, r.text
    assert "201, at most 200" in r.json()["detail"]


async def test_a_vehicle_chain_and_a_schedule_of_201_are_too_large(client: Client) -> None:
    slots = [{"person_id": PARTNER, "start_date": "2027-01-04", "end_date": "2027-01-11"}] * 201
    r = await client.post(SAVE_VEHICLE_CHAIN, json={"vin": VIN_OK, "office": OFFICE, "chain": slots})
    assert r.status_code == 413, r.text
    week = [{"vin": VIN_OK, "person_id": PARTNER, "start_day": "2027-01-04"}] * 201
    r = await client.post(
        SAVE_SCHEDULE, json={"office": OFFICE, "week_start": "2027-01-04", "assignments": week}
    )
    assert r.status_code == 413, r.text


async def test_200_slots_all_clashing_list_50_and_count_every_clash(client: Client) -> None:
    r = await client.post(SAVE_CHAIN, json=chain(200))
    assert r.status_code == 409, r.text
    body = r.json()
    # Each slot clashes with the FMS activity of VIN_BUSY and with every earlier slot.
    assert body["conflict_count"] == 200 + 200 * 199 // 2
    assert len(body["conflicts"]) == 50
    assert f"(and {body['conflict_count'] - 1} more)" in body["detail"]
    assert all(c["vin"] == VIN_BUSY for c in body["conflicts"])


async def test_a_small_conflict_is_counted_too(client: Client) -> None:
    r = await client.post(SAVE_CHAIN, json=chain(1))
    assert r.status_code == 409, r.text
    assert (r.json()["conflict_count"], len(r.json()["conflicts"])) == (1, 1)


@pytest.mark.parametrize("start", ["9999-12-25", "9999-12-31"])
async def test_a_start_near_the_end_of_time_without_end_is_422_not_500(client: Client, start: str) -> None:
    r = await client.post(
        SCHEDULE, json={"vin": VIN_OK, "person_id": PARTNER, "start_day": start, "office": OFFICE}
    )
    assert r.status_code == 422, r.text
    assert f"start_day {start} is outside the dates FMS can carry" in r.json()["detail"]
    week = [{"vin": VIN_OK, "person_id": PARTNER, "start_day": start}]
    r = await client.post(SAVE_SCHEDULE, json={"office": OFFICE, "week_start": start, "assignments": week})
    assert r.status_code == 422, r.text
    r = await client.post(SAVE_SCHEDULE, json={"office": OFFICE, "week_start": start, "assignments": []})
    assert r.status_code == 422, r.text
    assert f"week_start {start} is outside" in r.json()["detail"]


@pytest.mark.parametrize(("start", "end"), [("0026-11-29", "0026-12-06"), ("2126-11-29", "2126-12-06")])
async def test_dates_fms_would_read_as_2026_are_refused(client: Client, start: str, end: str) -> None:
    body = {"vin": VIN_OK, "person_id": PARTNER, "start_day": start, "end_day": end, "office": OFFICE}
    r = await client.post(SCHEDULE, json=body)
    assert r.status_code == 422, r.text
    assert "1969-01-01 to 2068-12-31" in r.json()["detail"]


async def test_a_loan_longer_than_120_days_is_422(client: Client) -> None:
    body = {"vin": VIN_OK, "person_id": PARTNER, "start_day": "2027-01-04", "office": OFFICE}
    r = await client.post(SCHEDULE, json={**body, "end_day": "2027-05-04"})  # 120 days
    assert r.status_code == 201, r.text
    r = await client.post(SAVE_CHAIN, json=chain(1, vin=VIN_OK, start=date(2027, 6, 1), nights=121))
    assert r.status_code == 422, r.text
    assert "a loan is at most 120 days long" in r.json()["detail"]


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/calendar/activity", {"office": OFFICE, "start_date": "0001-01-01", "end_date": "2026-12-31"}),
        ("/api/calendar/activity", {"office": OFFICE, "start_date": "2026-01-01", "end_date": "9999-12-31"}),
        (
            "/api/chain-builder/vehicle-busy-periods",
            {"vin": VIN_OK, "start_date": "2026-01-01", "end_date": "2069-01-01"},
        ),
        ("/api/fms/operations", {"since": "0001-01-01T00:00:00+23:00"}),
        ("/api/fms/operations", {"until": "9999-12-31T23:59:59-23:00"}),
    ],
)
async def test_query_dates_outside_the_window_are_422(
    client: Client, path: str, query: dict[str, str]
) -> None:
    r = await client.get(path, params=query)
    assert r.status_code == 422, r.text
    assert "outside the dates FMS can carry" in r.json()["detail"]
