"""End to end: schedule-assignment, save-chain, save-vehicle-chain, save-schedule and bad input."""

from __future__ import annotations

from typing import Any

from tests.e2e.world import OFFICE, PARTNER, PARTNER_NY, VIN_BUSY, VIN_NO_FMS, VIN_OK, Client, schedule


async def test_schedule_assignment_defaults_to_a_week_manual(client: Client) -> None:
    r = await client.post(
        "/api/calendar/schedule-assignment",
        json={
            "vin": VIN_OK.lower(),
            "person_id": PARTNER,
            "start_day": "2026-12-14",
            "office": OFFICE,
            "week_start": "2026-12-14",
            "unknown_extra": [1, 2],
        },
    )
    assert r.status_code == 201, r.text
    a = r.json()["assignment"]
    assert (a["vin"], a["status"], a["end_day"], a["partner_name"]) == (
        VIN_OK,
        "manual",
        "2026-12-21",
        "Rivera, Alex",
    )


async def test_touching_is_allowed_overlap_is_409(client: Client) -> None:
    first = await schedule(client, start="2026-12-01")
    await schedule(client, start="2026-12-08")  # hand-over on the 8th
    r = await client.post(
        "/api/calendar/schedule-assignment",
        json={"vin": VIN_OK, "person_id": PARTNER, "start_day": "2026-12-05", "office": OFFICE},
    )
    assert r.status_code == 409
    held = [c["assignment_id"] for c in r.json()["conflicts"]]
    assert first in held


async def test_malformed_json_and_wrong_types_are_400(client: Client) -> None:
    r = await client.post(
        "/api/calendar/schedule-assignment",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 400
    assert r.json()["detail"]
    for body in (
        {"vin": VIN_OK, "person_id": "abc", "start_day": "2026-12-01", "office": OFFICE},
        {"vin": VIN_OK, "person_id": PARTNER, "start_day": "12/01/26", "office": OFFICE},
        {"vin": VIN_OK, "person_id": 2**40, "start_day": "2026-12-01", "office": OFFICE},
        {"person_id": PARTNER, "start_day": "2026-12-01", "office": OFFICE},
        [1, 2, 3],
    ):
        r = await client.post("/api/calendar/schedule-assignment", json=body)
        assert r.status_code == 400, (body, r.text)


async def test_invalid_values_are_422(client: Client) -> None:
    cases = [
        {"vin": "NOPE", "person_id": PARTNER, "start_day": "2026-12-01", "office": OFFICE},
        {"vin": VIN_OK, "person_id": PARTNER_NY, "start_day": "2026-12-01", "office": OFFICE},
        {
            "vin": VIN_OK,
            "person_id": PARTNER,
            "start_day": "2026-12-01",
            "end_day": "2026-11-30",
            "office": OFFICE,
        },
    ]
    for body in cases:
        r = await client.post("/api/calendar/schedule-assignment", json=body)
        assert r.status_code == 422, (body, r.text)


async def test_save_chain_all_or_nothing(client: Client) -> None:
    chain = [
        {"vin": VIN_OK, "start_date": "2027-01-04", "end_date": "2027-01-11", "score": 9.5},
        {"vin": VIN_NO_FMS, "start_date": "2027-01-11", "end_date": "2027-01-18"},
    ]
    body = {"person_id": PARTNER, "partner_name": "Rivera, Alex", "office": OFFICE, "chain": chain}
    r = await client.post("/api/chain-builder/save-chain", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["assignments_saved"] == 2
    r = await client.post("/api/chain-builder/save-chain", json=body)
    assert r.status_code == 409
    assert len(r.json()["conflicts"]) == 2
    window = await client.get(
        "/api/calendar/activity",
        params={"office": OFFICE, "start_date": "2027-01-01", "end_date": "2027-01-31"},
    )
    assert window.json()["counts"]["planned"] == 2


async def test_save_vehicle_chain_rejects_overlapping_slots(client: Client) -> None:
    body: dict[str, Any] = {
        "vin": VIN_OK,
        "vehicle_make": "Audi",
        "vehicle_model": "Q5",
        "office": OFFICE,
        "status": "planned",
        "chain": [
            {"person_id": PARTNER, "start_date": "2027-02-01", "end_date": "2027-02-08"},
            {"person_id": PARTNER, "start_date": "2027-02-07", "end_date": "2027-02-14"},
        ],
    }
    r = await client.post("/api/chain-builder/save-vehicle-chain", json=body)
    assert r.status_code == 409
    body["chain"][1]["start_date"] = "2027-02-08"
    r = await client.post("/api/chain-builder/save-vehicle-chain", json=body)
    assert r.status_code == 200
    assert r.json()["assignments_saved"] == 2
    bad = {**body, "status": "active"}
    assert (await client.post("/api/chain-builder/save-vehicle-chain", json=bad)).status_code == 422


async def test_save_schedule_replaces_only_planned_of_that_week(client: Client) -> None:
    manual = await schedule(client, vin=VIN_NO_FMS, start="2027-03-01")
    week: dict[str, Any] = {
        "office": OFFICE,
        "week_start": "2027-03-01",
        "assignments": [{"vin": VIN_OK, "person_id": PARTNER, "start_day": "2027-03-01"}],
    }
    r = await client.post("/api/calendar/save-schedule", json=week)
    assert r.status_code == 200, r.text
    assert r.json()["assignments_saved"] == 1
    week["assignments"][0]["start_day"] = "2027-03-02"
    r = await client.post("/api/calendar/save-schedule", json=week)
    assert r.json()["assignments_replaced"] == 1
    items = (
        await client.get(
            "/api/calendar/activity",
            params={"office": OFFICE, "start_date": "2027-03-01", "end_date": "2027-03-31"},
        )
    ).json()["activities"]
    assert sorted((i["assignment_id"] == manual, i["start_date"]) for i in items) == [
        (False, "2027-03-02"),
        (True, "2027-03-01"),
    ]


async def test_chain_against_live_fms_activity_is_409(client: Client) -> None:
    body = {
        "person_id": PARTNER,
        "office": OFFICE,
        "chain": [{"vin": VIN_BUSY, "start_date": "2026-11-28", "end_date": "2026-12-02"}],
    }
    r = await client.post("/api/chain-builder/save-chain", json=body)
    assert r.status_code == 409
    assert r.json()["conflicts"][0]["activity_id"] == 777001
