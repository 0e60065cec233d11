"""The simulator's report CSVs: reports.md column order, no header, deterministic, ids create accepts."""

from __future__ import annotations

import csv
import io

import httpx

from fms_simulator.world import World
from tests.fms_support import running_simulator
from tests.unit.adapters.test_fms_sim_api import AUTH, PATH, body

COLUMNS = {
    "vehicles": 15,
    "media_partners": 8,
    "approved_makes": 4,
    "loan_history": 14,
    "current_activity": 9,
    "budget_spending": 5,
}


async def fetch(client: httpx.AsyncClient, name: str) -> list[list[str]]:
    """One report, parsed."""
    r = await client.get(f"/reports/{name}.csv")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(r.text)))


async def test_every_report_has_its_columns_and_no_header() -> None:
    async with running_simulator(scale=0.02) as server, httpx.AsyncClient(base_url=server.url) as client:
        reports = {name: await fetch(client, name) for name in COLUMNS}
        assert (await client.get("/reports/nope.csv")).status_code == 404
    for name, rows in reports.items():
        assert rows, name
        assert {len(row) for row in rows} == {COLUMNS[name]}, name
    vehicles, partners = reports["vehicles"], reports["media_partners"]
    assert len(vehicles) == 20
    assert len(partners) == 15
    assert len(reports["loan_history"]) == 220
    assert vehicles[0][0] == "80000"  # data from the first line on: no header
    assert partners[0][0] == "3000"
    assert {r[3] for r in reports["approved_makes"]} <= {"A+", "A", "B", "C", "Pending"}
    # the quirks FMS really produces
    assert vehicles[3][0] == "80003.0"
    assert vehicles[13][0] == ""  # a vehicle without an FMS id
    assert any("," in row[10] for row in vehicles)  # mileage with thousands separators
    assert all(len(row[6]) == 17 for row in vehicles)  # VINs


async def test_the_reports_are_deterministic_by_seed() -> None:
    texts = []
    for seed in (5, 5, 6):
        async with running_simulator(seed=seed) as server, httpx.AsyncClient(base_url=server.url) as client:
            texts.append((await client.get("/reports/loan_history.csv")).text)
    assert texts[0] == texts[1]
    assert texts[0] != texts[2]


async def test_every_vehicle_id_of_the_report_can_be_requested() -> None:
    async with running_simulator(scale=0.02) as server, httpx.AsyncClient(base_url=server.url) as client:
        vehicles = await fetch(client, "vehicles")
        ids = [int(float(row[0])) for row in vehicles if row[0]]
        assert len(ids) == 19
        for vehicle_id in ids:
            lines = [{"vehicle_id": vehicle_id, "notes": ""}]
            r = await client.post(PATH, json=body(requests_vehicles=lines), headers=AUTH)
            assert r.status_code == 201, r.text
        assert (
            await client.post(PATH, json=body(requests_vehicles=[{"vehicle_id": 80013}]), headers=AUTH)
        ).status_code == 404


async def test_an_approved_request_appears_in_the_current_activity_report() -> None:
    async with running_simulator() as server, httpx.AsyncClient(base_url=server.url) as client:
        before = await fetch(client, "current_activity")
        fms_id = (await client.post(PATH, json=body(), headers=AUTH)).json()["request"]["id"]
        assert await fetch(client, "current_activity") == before  # open requests are no activity yet
        activity_id = (await client.post(f"/_control/requests/{fms_id}/approve")).json()["activity_id"]
        after = await fetch(client, "current_activity")
    vehicle = server.sim.world.vehicle_by_id(80001)
    assert vehicle is not None
    assert after[: len(before)] == before
    (added,) = after[len(before) :]
    assert added[:7] == [
        str(activity_id),
        "3001",
        vehicle.vin,
        "Media Loan",
        "11/19/25",
        "11/26/25",
        "Rivera, Alex",
    ]


def test_the_scale_factor_sizes_the_world_without_building_it() -> None:
    world = World(seed=1, scale=100)
    assert (world.vehicle_count, world.partner_count, world.history_count) == (100_000, 75_000, 1_100_000)
    last = world.vehicle_by_id(80000 + 99_999)
    assert last is not None
    assert last.vin.endswith("099999")
    assert world.vehicle_by_id(80000 + 100_000) is None
