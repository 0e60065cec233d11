"""The FMS simulator's API behaves like FMS: validation, token check, camelCase answers, lookup."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from fms_simulator.server import SimulatorServer
from tests.fms_support import SIM_TOKEN, running_simulator

AUTH = {"Authorization": f"Token {SIM_TOKEN}"}
PATH = "/api/v1/vehicle_requests"


def body(**changes: Any) -> dict[str, Any]:
    """A valid create body for vehicle 80001, with changes (None removes a field)."""
    fields: dict[str, Any] = {
        "requestor_id": 1949,
        "start_date": "11/19/25",
        "end_date": "11/26/25",
        "activity_type_id": 1,
        "activity_to": "Rivera, Alex",
        "reason": "MotorWeek",
        "loanee_id": 3001,
        "requests_vehicles": [{"vehicle_id": 80001, "notes": "Audi Q5 (VIN: X)"}],
        "requestor_notes": "media-scheduler:assignment=1:op=a",
    }
    fields.update(changes)
    return {"request": {k: v for k, v in fields.items() if v is not None}}


@pytest.fixture
async def sim() -> AsyncIterator[tuple[SimulatorServer, httpx.AsyncClient]]:
    """A running simulator and a plain client on it."""
    async with running_simulator() as server, httpx.AsyncClient(base_url=server.url) as client:
        yield server, client


async def test_create_answers_201_camel_case_with_the_id(
    sim: tuple[SimulatorServer, httpx.AsyncClient],
) -> None:
    server, client = sim
    r = await client.post(PATH, json=body(activity_type_subcategory_id=7), headers=AUTH)
    assert r.status_code == 201
    request = r.json()["request"]
    assert request["id"] in server.sim.requests
    vehicle = server.sim.world.vehicle_by_id(80001)
    assert vehicle is not None
    assert request["requestorId"] == 1949
    assert request["requestorName"] == "D'Amato, Junior"
    assert (request["startDate"], request["endDate"], request["status"]) == ("11/19/25", "11/26/25", "open")
    assert request["loaneeId"] == 3001
    assert request["activityTypeSubcategoryId"] == 7
    assert request["requestorNotes"] == "media-scheduler:assignment=1:op=a"
    (line,) = request["requestsVehicles"]
    assert line["requestsVehicle"]["vehicleId"] == 80001
    assert line["requestsVehicle"]["vehicleVin"] == vehicle.vin
    assert request["officeName"] == vehicle.office


@pytest.mark.parametrize(
    ("changes", "status", "detail"),
    [
        ({"start_date": "2025-11-19"}, 422, "Start date must be a date in MM/DD/YY format"),
        ({"end_date": "11/26/2025"}, 422, "End date must be a date in MM/DD/YY format"),
        ({"start_date": "13/45/25"}, 422, "Start date is not a valid date"),
        ({"requestor_id": None}, 422, "requestor_id can't be blank"),
        ({"start_date": None, "end_date": None}, 422, "start_date, end_date can't be blank"),
        ({"end_date": "11/01/25"}, 422, "End date must be on or after the start date"),
        ({"requests_vehicles": [{"vehicle_id": 12}]}, 404, "Couldn't find Vehicle with 'id'=12"),
        ({"loanee_id": "someone"}, 422, "loanee_id must be an integer"),
    ],
)
async def test_invalid_creates_are_refused_like_fms(
    sim: tuple[SimulatorServer, httpx.AsyncClient], changes: dict[str, Any], status: int, detail: str
) -> None:
    server, client = sim
    r = await client.post(PATH, json=body(**changes), headers=AUTH)
    assert (r.status_code, r.json()) == (status, {"errors": [{"detail": detail}]})
    assert server.sim.requests == {}


async def test_a_body_without_request_is_400(sim: tuple[SimulatorServer, httpx.AsyncClient]) -> None:
    _, client = sim
    for content in (b'{"requestor_id": 1}', b"not json", b""):
        r = await client.post(PATH, content=content, headers={**AUTH, "content-type": "application/json"})
        assert r.status_code == 400
        assert r.json()["errors"][0]["detail"] == "param is missing or the value is empty: request"


@pytest.mark.parametrize(
    "header",
    [f"Bearer {SIM_TOKEN}", "Token wrong", "Token", SIM_TOKEN, f"token {SIM_TOKEN}", None],
)
async def test_only_the_token_scheme_with_the_right_token_is_accepted(
    sim: tuple[SimulatorServer, httpx.AsyncClient], header: str | None
) -> None:
    server, client = sim
    headers = {"Authorization": header} if header is not None else {}
    for method, path in (("POST", PATH), ("DELETE", f"{PATH}/1"), ("GET", PATH), ("GET", f"{PATH}/1")):
        r = await client.request(method, path, json=body() if method == "POST" else None, headers=headers)
        assert (r.status_code, r.json()) == (401, {"errors": [{"detail": "Access denied"}]})
    assert server.sim.requests == {}


async def test_without_a_configured_token_any_token_scheme_value_is_accepted() -> None:
    async with running_simulator(token=None) as server, httpx.AsyncClient(base_url=server.url) as client:
        assert (
            await client.post(PATH, json=body(), headers={"Authorization": "Token anything"})
        ).status_code == 201
        assert (
            await client.post(PATH, json=body(), headers={"Authorization": "Bearer x"})
        ).status_code == 401


async def test_delete_then_delete_again_is_404(sim: tuple[SimulatorServer, httpx.AsyncClient]) -> None:
    _, client = sim
    fms_id = (await client.post(PATH, json=body(), headers=AUTH)).json()["request"]["id"]
    assert (await client.get(f"{PATH}/{fms_id}", headers=AUTH)).status_code == 200
    assert (await client.delete(f"{PATH}/{fms_id}", headers=AUTH)).status_code == 204
    again = await client.delete(f"{PATH}/{fms_id}", headers=AUTH)
    assert again.status_code == 404
    assert again.json() == {"errors": [{"detail": f"Couldn't find Request with 'id'={fms_id}"}]}


async def test_lookup_by_requestor_notes(sim: tuple[SimulatorServer, httpx.AsyncClient]) -> None:
    _, client = sim
    first = (await client.post(PATH, json=body(requestor_notes="ref-1"), headers=AUTH)).json()["request"][
        "id"
    ]
    await client.post(PATH, json=body(requestor_notes="ref-2"), headers=AUTH)
    found = (await client.get(PATH, params={"requestor_notes": "ref-1"}, headers=AUTH)).json()
    assert [r["request"]["id"] for r in found["requests"]] == [first]
    everything = (await client.get(PATH, headers=AUTH)).json()["requests"]
    assert len(everything) == 2
    assert (await client.get(PATH, params={"requestor_notes": "nope"}, headers=AUTH)).json() == {
        "requests": []
    }


async def test_an_approved_request_is_a_loan_and_cannot_be_deleted(
    sim: tuple[SimulatorServer, httpx.AsyncClient],
) -> None:
    _, client = sim
    fms_id = (await client.post(PATH, json=body(), headers=AUTH)).json()["request"]["id"]
    approved = await client.post(f"/_control/requests/{fms_id}/approve")
    assert approved.status_code == 200
    assert (await client.get(f"{PATH}/{fms_id}", headers=AUTH)).json()["request"]["status"] == "approved"
    refused = await client.delete(f"{PATH}/{fms_id}", headers=AUTH)
    assert refused.status_code == 422
    assert (await client.post("/_control/requests/999/approve")).status_code == 404


async def test_the_call_log_never_keeps_the_token(sim: tuple[SimulatorServer, httpx.AsyncClient]) -> None:
    _, client = sim
    await client.post(PATH, json=body(), headers=AUTH)
    await client.post(PATH, json=body(), headers={"Authorization": "Bearer secret-bearer"})
    log = (await client.get("/_control/received")).json()["received"]
    assert [entry["authorization_scheme"] for entry in log] == ["Token", "Bearer"]
    assert log[0]["body"] == body()
    assert SIM_TOKEN not in str(log)
    assert "secret-bearer" not in str(log)
