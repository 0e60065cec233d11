"""A booking's vehicle belongs to the booking's office (issue 25, item 7), on memory and on PostgreSQL.

A New York vehicle could be booked, and requested in FMS, under Los Angeles, since only the partner's
office was checked; New York's calendar then did not show the bar, yet refused its own booking of that
vehicle with a 409 naming an assignment it could not see.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.assignment import Assignment
from domain.reference import Vehicle
from domain.values import Status
from tests.e2e.app_env import Env
from tests.e2e.world import OFFICE, OTHER_OFFICE, PARTNER, PARTNER_NY, VIN_BUSY, VIN_NO_FMS, VIN_OK

VIN_NY = "5YJ3E1EA7KF000001"
WINDOW = {"start_date": "2027-01-01", "end_date": "2027-01-31"}


async def with_a_new_york_vehicle(env: Env) -> None:
    """The world's vehicles plus one of New York's."""
    async with env[2]() as uow:
        vehicles = await uow.reference.vehicles()
        ny = Vehicle(vin=VIN_NY, office=OTHER_OFFICE, fms_vehicle_id=90001, make="Kia", model="EV9")
        await uow.reference.replace_vehicles([*vehicles, ny])


def creating_requests(vin: str, office: str, person_id: int) -> dict[str, tuple[str, dict[str, Any]]]:
    """One body per creating route booking `vin` for `person_id` under `office` in January 2027."""
    return {
        "schedule-assignment": (
            "/api/calendar/schedule-assignment",
            {"vin": vin, "person_id": person_id, "start_day": "2027-01-04", "office": office},
        ),
        "save-chain": (
            "/api/chain-builder/save-chain",
            {
                "person_id": person_id,
                "office": office,
                "chain": [{"vin": vin, "start_date": "2027-01-04", "end_date": "2027-01-08"}],
            },
        ),
        "save-vehicle-chain": (
            "/api/chain-builder/save-vehicle-chain",
            {
                "vin": vin,
                "office": office,
                "chain": [{"person_id": person_id, "start_date": "2027-01-04", "end_date": "2027-01-08"}],
            },
        ),
        "save-schedule": (
            "/api/calendar/save-schedule",
            {
                "office": office,
                "week_start": "2027-01-04",
                "assignments": [{"vin": vin, "person_id": person_id, "start_day": "2027-01-04"}],
            },
        ),
    }


async def january_bars(env: Env, office: str) -> list[dict[str, Any]]:
    """The office's calendar bars of January 2027."""
    r = await env[0].get("/api/calendar/activity", params={"office": office, **WINDOW})
    assert r.status_code == 200, r.text
    bars: list[dict[str, Any]] = r.json()["activities"]
    return bars


@pytest.mark.parametrize("route", sorted(creating_requests(VIN_NY, OFFICE, PARTNER)))
async def test_a_vehicle_of_another_office_is_422_on_every_creating_route(app_env: Env, route: str) -> None:
    client = app_env[0]
    await with_a_new_york_vehicle(app_env)
    path, body = creating_requests(VIN_NY, OFFICE, PARTNER)[route]  # a Los Angeles partner, as the issue did
    r = await client.post(path, json=body)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert f"vehicle VIN {VIN_NY} belongs to office {OTHER_OFFICE}, not {OFFICE}" in detail, detail
    assert await january_bars(app_env, OFFICE) == []
    assert await january_bars(app_env, OTHER_OFFICE) == []
    # New York books its own vehicle: nothing it cannot see stands in the way.
    path, body = creating_requests(VIN_NY, OTHER_OFFICE, PARTNER_NY)[route]
    r = await client.post(path, json=body)
    assert r.status_code in (200, 201), r.text
    assert [bar["vin"] for bar in await january_bars(app_env, OTHER_OFFICE)] == [VIN_NY]


async def test_a_partner_of_the_vehicles_office_does_not_make_it_another_offices_booking(
    app_env: Env,
) -> None:
    """Both the partner and the vehicle of New York, booked under Los Angeles: 422 for the vehicle."""
    await with_a_new_york_vehicle(app_env)
    path, body = creating_requests(VIN_NY, OFFICE, PARTNER_NY)["schedule-assignment"]
    r = await app_env[0].post(path, json=body)
    assert r.status_code == 422, r.text
    assert f"belongs to office {OTHER_OFFICE}" in r.json()["detail"]


async def test_a_stored_booking_of_another_offices_vehicle_is_not_requested_in_fms(app_env: Env) -> None:
    """One stored before the rule (or whose vehicle moved office since): Request is 422, FMS untouched."""
    client, gateway, factory = app_env
    await with_a_new_york_vehicle(app_env)
    async with factory() as uow:
        stored = await uow.assignments.add(
            Assignment(VIN_NY, PARTNER, OFFICE, date(2027, 1, 4), date(2027, 1, 11), Status.MANUAL)
        )
    aid = stored.assignment_id
    r = await client.patch(
        f"/api/calendar/change-assignment-status/{aid}", params={"new_status": "requested"}
    )
    assert r.status_code == 422, r.text
    assert f"vehicle VIN {VIN_NY} belongs to office {OTHER_OFFICE}, not {OFFICE}" in r.json()["detail"]
    assert r.json()["vin"] == VIN_NY
    r = await client.post("/api/fms/bulk-create-vehicle-requests", json={"assignment_ids": [aid]})
    assert r.status_code == 200, r.text
    [item] = r.json()["results"]
    assert (item["success"], item["fms_request_id"]) == (False, None)
    assert f"belongs to office {OTHER_OFFICE}" in item["error"]
    assert (gateway.calls, gateway.requests) == ([], {})
    async with factory() as uow:
        after = await uow.assignments.get(aid or 0)
        assert await uow.operations.for_assignment(aid or 0) == []
    assert after is not None
    assert (after.status, after.fms_state.value, after.fms_request_id) == (Status.MANUAL, "none", None)


async def test_vehicles_of_the_bookings_office_are_booked_as_before(app_env: Env) -> None:
    path, body = creating_requests(VIN_OK, OFFICE, PARTNER)["save-chain"]
    body["chain"].append({"vin": VIN_NO_FMS, "start_date": "2027-01-04", "end_date": "2027-01-08"})
    body["chain"].append({"vin": VIN_BUSY, "start_date": "2027-01-11", "end_date": "2027-01-15"})
    r = await app_env[0].post(path, json=body)
    assert r.status_code == 200, r.text
    assert r.json()["assignments_saved"] == 3
