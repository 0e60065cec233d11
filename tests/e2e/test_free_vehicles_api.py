"""GET /api/calendar/free-vehicles: the office's vehicles a manual loan over the days would not clash with."""

from __future__ import annotations

from datetime import date

from tests.e2e.conftest import Env
from tests.e2e.world import OFFICE, OTHER_OFFICE, VIN_BUSY, VIN_NO_FMS, VIN_OK, Client, schedule

FREE = "/api/calendar/free-vehicles"


async def free(client: Client, start: str, end: str, office: str = OFFICE) -> list[str]:
    r = await client.get(FREE, params={"office": office, "start_date": start, "end_date": end})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["count"] == len(body["vehicles"])
    return [v["vin"] for v in body["vehicles"]]


async def test_a_vehicle_held_by_fms_or_an_assignment_is_not_free(app_env: Env) -> None:
    client = app_env[0]
    # VIN_BUSY: FMS activity 2026-12-01..12-08
    assert await free(client, "2026-12-02", "2026-12-05") == sorted([VIN_NO_FMS, VIN_OK])
    await schedule(client, VIN_OK, "2026-12-03")  # manual, 12-03..12-10
    assert await free(client, "2026-12-02", "2026-12-05") == [VIN_NO_FMS]
    assert sorted(await free(client, "2027-01-04", "2027-01-11")) == sorted([VIN_BUSY, VIN_NO_FMS, VIN_OK])


async def test_touching_ends_are_a_hand_over_and_free(app_env: Env) -> None:
    client = app_env[0]
    assert VIN_BUSY in await free(client, "2026-12-08", "2026-12-15")  # the FMS loan ends on 12-08
    assert VIN_BUSY in await free(client, "2026-11-24", "2026-12-01")  # and starts on 12-01
    assert VIN_BUSY not in await free(client, "2026-11-24", "2026-12-02")


async def test_free_means_a_booking_over_those_days_is_accepted(app_env: Env) -> None:
    client = app_env[0]
    start, end = date(2026, 12, 4), date(2026, 12, 9)
    for vin in await free(client, start.isoformat(), end.isoformat()):
        await schedule(client, vin, start.isoformat(), end_day=end.isoformat())
    assert await free(client, start.isoformat(), end.isoformat()) == []


async def test_other_offices_and_unknown_offices(app_env: Env) -> None:
    client = app_env[0]
    assert await free(client, "2026-12-02", "2026-12-05", office=OTHER_OFFICE) == []
    assert await free(client, "2026-12-02", "2026-12-05", office="Nowhere") == []


async def test_bad_windows_are_refused_with_their_reason(app_env: Env) -> None:
    client = app_env[0]
    r = await client.get(
        FREE, params={"office": OFFICE, "start_date": "2026-12-05", "end_date": "2026-12-01"}
    )
    assert r.status_code == 422
    assert "before start_date" in r.json()["detail"]
    r = await client.get(
        FREE, params={"office": OFFICE, "start_date": "2126-12-01", "end_date": "2126-12-05"}
    )
    assert r.status_code == 422
    r = await client.get(FREE, params={"office": OFFICE, "start_date": "soon", "end_date": "2026-12-05"})
    assert r.status_code == 400
    r = await client.get(FREE, params={"start_date": "2026-12-01", "end_date": "2026-12-05"})
    assert r.status_code == 400
