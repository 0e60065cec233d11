"""End to end (memory and PostgreSQL): FMS extends an active loan; the API books and shows what FMS holds."""

from __future__ import annotations

from datetime import date
from typing import Any

from application.ports import UnitOfWorkFactory
from domain.assignment import Assignment
from domain.reference import Activity
from domain.values import Status
from tests.e2e.conftest import Env
from tests.e2e.world import ACTIVITY_ID, OFFICE, PARTNER, VIN_BUSY, Client

OWN = (date(2026, 12, 1), date(2026, 12, 8))  # the active assignment's own days, as it was approved
FMS_END = date(2026, 12, 20)  # FMS extended the loan in the current-activity report


async def held_and_extended(factory: UnitOfWorkFactory) -> int:
    """The seeded activity becomes an active assignment's; then FMS extends it to 12-20."""
    async with factory() as uow:
        held = await uow.assignments.add(
            Assignment(VIN_BUSY, PARTNER, OFFICE, *OWN, Status.ACTIVE, activity_id=ACTIVITY_ID)
        )
        await uow.reference.replace_current_activities(
            [Activity(ACTIVITY_ID, VIN_BUSY, OWN[0], FMS_END, person_id=PARTNER, partner_name="Rivera, Alex")]
        )
    assert held.assignment_id is not None
    return held.assignment_id


def assert_names_the_fms_dates(conflicts: list[dict[str, Any]], held: int) -> None:
    """The only clash is the held loan, dated as FMS holds it."""
    (clash,) = conflicts
    assert (clash["assignment_id"], clash["activity_id"]) == (held, ACTIVITY_ID)
    assert (clash["start_date"], clash["end_date"]) == ("2026-12-01", "2026-12-20")
    assert (clash["fms_start_date"], clash["fms_end_date"]) == ("2026-12-01", "2026-12-20")
    assert f"FMS activity {ACTIVITY_ID}" in clash["held_by"]


async def test_a_booking_in_the_fms_extension_is_refused_by_every_route(app_env: Env) -> None:
    client, gateway, factory = app_env
    held = await held_and_extended(factory)
    body = {"vin": VIN_BUSY, "person_id": PARTNER, "start_day": "2026-12-08", "office": OFFICE}
    r = await client.post("/api/calendar/schedule-assignment", json=body)
    assert r.status_code == 409, r.text
    assert_names_the_fms_dates(r.json()["conflicts"], held)
    assert "2026-12-01..2026-12-20" in r.json()["detail"]

    async with factory() as uow:  # a booking made before FMS extended the loan
        earlier = await uow.assignments.add(
            Assignment(VIN_BUSY, PARTNER, OFFICE, date(2026, 12, 8), date(2026, 12, 15), Status.MANUAL)
        )
    r = await client.patch(
        f"/api/calendar/change-assignment-status/{earlier.assignment_id}", params={"new_status": "requested"}
    )
    assert r.status_code == 409, r.text
    assert_names_the_fms_dates(r.json()["conflicts"], held)
    r = await client.post("/api/fms/bulk-create-vehicle-requests", json=[earlier.assignment_id])
    (line,) = r.json()["results"]
    assert (line["success"], line["error_code"]) == (False, "booking_conflict")
    assert_names_the_fms_dates(line["conflicts"], held)
    assert gateway.calls == []


async def test_the_calendar_shows_the_fms_dates_and_the_difference(client: Client, app_env: Env) -> None:
    held = await held_and_extended(app_env[2])
    params = {"office": OFFICE, "start_date": "2026-12-12", "end_date": "2026-12-31", "vin": VIN_BUSY}
    r = await client.get("/api/calendar/activity", params=params)
    assert r.status_code == 200
    (item,) = r.json()["activities"]
    assert (item["status"], item["assignment_id"], item["activity_id"]) == ("active", held, ACTIVITY_ID)
    assert (item["start_date"], item["end_date"]) == ("2026-12-01", "2026-12-20")
    assert (item["assignment_start_date"], item["assignment_end_date"]) == ("2026-12-01", "2026-12-08")
    assert item["dates_differ"] is True
    r = await client.get(
        "/api/chain-builder/vehicle-busy-periods",
        params={"vin": VIN_BUSY, "start_date": "2026-12-12", "end_date": "2026-12-31"},
    )
    (period,) = r.json()["busy_periods"]
    assert (period["assignment_id"], period["start_date"], period["end_date"]) == (
        held,
        "2026-12-01",
        "2026-12-20",
    )
    assert period["dates_differ"] is True
