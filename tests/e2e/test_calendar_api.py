"""End to end: calendar reads, health and the OpenAPI schema."""

from __future__ import annotations

from tests.e2e.world import ACTIVITY_ID, OFFICE, PARTNER, VIN_BUSY, VIN_OK, Client, schedule


async def test_offices_vehicles_partners_tiers(client: Client) -> None:
    assert [o["name"] for o in (await client.get("/api/offices")).json()] == ["Los Angeles", "New York"]
    for encoded in ("Los%20Angeles", "Los+Angeles"):
        r = await client.get(f"/api/calendar/vehicles?office={encoded}")
        assert r.json()["office"] == OFFICE
        assert r.json()["count"] == 3
    r = await client.get("/api/calendar/media-partners", params={"office": OFFICE})
    assert [p["person_id"] for p in r.json()["partners"]] == [PARTNER]
    r = await client.get("/api/calendar/partner-tiers", params={"office": OFFICE})
    assert r.status_code == 200
    assert r.json()["tiers"] == {}
    assert (await client.get("/api/calendar/vehicles")).status_code == 400


async def test_activity_merges_sources_and_counts(client: Client) -> None:
    aid = await schedule(client, start="2026-12-10")
    r = await client.get(
        "/api/calendar/activity",
        params={"office": "Los Angeles", "start_date": "2026-12-01", "end_date": "2026-12-10"},
    )
    assert r.status_code == 200
    body = r.json()
    kinds = {(i["status"], i["assignment_id"], i["activity_id"]) for i in body["activities"]}
    assert kinds == {("active", None, ACTIVITY_ID), ("manual", aid, None)}
    assert body["counts"] == {"past": 0, "active": 1, "planned": 1, "total": 2}
    r = await client.get(
        "/api/calendar/activity",
        params={"office": OFFICE, "start_date": "2026-12-01", "end_date": "2026-12-31", "vin": VIN_OK},
    )
    assert [i["vin"] for i in r.json()["activities"]] == [VIN_OK]
    r = await client.get(
        "/api/calendar/activity",
        params={"office": OFFICE, "start_date": "2026-12-31", "end_date": "2026-12-01"},
    )
    assert r.status_code == 422
    r = await client.get(
        "/api/calendar/activity",
        params={"office": OFFICE, "start_date": "not-a-date", "end_date": "2026-12-01"},
    )
    assert r.status_code == 400


async def test_busy_periods(client: Client) -> None:
    r = await client.get(
        "/api/chain-builder/vehicle-busy-periods",
        params={"vin": VIN_BUSY.lower(), "start_date": "2026-11-01", "end_date": "2026-12-31"},
    )
    assert r.status_code == 200
    assert r.json()["total_periods"] == 1
    assert r.json()["busy_periods"][0]["activity_id"] == ACTIVITY_ID


async def test_health_and_schema(client: Client) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    assert (await client.get("/healthz/db")).json() == {"status": "ok"}
    schema = (await client.get("/schema/openapi.json")).json()
    for path in (
        "/api/calendar/change-assignment-status/{assignment_id}",
        "/api/calendar/activity",
        "/api/chain-builder/save-chain",
        "/healthz/db",
    ):
        assert path in schema["paths"], path


async def test_unknown_route_is_404_json(client: Client) -> None:
    r = await client.get("/api/nope")
    assert r.status_code == 404
    assert r.json()["detail"]
