"""Text PostgreSQL cannot store (NUL, lone surrogates) is refused at the edge with 400 naming the field,
in query, path, body and headers alike; values the database refuses are 422, never 503 (issue 11)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from application.sync.records import ReportName
from tests.e2e.conftest import Env
from tests.e2e.world import OFFICE, PARTNER, VIN_OK, Client
from tests.sync_support import fixture_bytes

NUL = "\x00"
BODY = {"vin": VIN_OK, "person_id": PARTNER, "start_day": "2026-12-01", "office": OFFICE}
SLOT = {"vin": VIN_OK, "make": "Audi", "model": "Q5", "start_date": "2026-12-01", "end_date": "2026-12-05"}
CHAIN = {"person_id": PARTNER, "partner_name": "Rivera, Alex", "office": OFFICE}
WINDOW = {"start_date": "2026-12-01", "end_date": "2026-12-31"}


async def assignments_of(client: Client) -> list[Any]:
    """The office's assignments in a wide window (to show that nothing was stored)."""
    params = {"office": OFFICE, "start_date": "2026-01-01", "end_date": "2027-12-31"}
    response = await client.get("/api/calendar/activity", params=params)
    assert response.status_code == 200, response.text
    return [a for a in response.json()["activities"] if a.get("assignment_id") is not None]


def refused(response: httpx.Response, field: str) -> None:
    """A 400 whose detail names the field."""
    assert response.status_code == 400, (response.status_code, response.text)
    assert field in response.json()["detail"], response.text


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/calendar/vehicles", {"office": OFFICE + NUL}, "office"),
        ("/api/calendar/media-partners", {"office": NUL}, "office"),
        ("/api/calendar/partner-tiers", {"office": f"a{NUL}b"}, "office"),
        ("/api/calendar/activity", {"office": OFFICE, **WINDOW, "vin": NUL}, "vin"),
        ("/api/chain-builder/vehicle-busy-periods", {"vin": NUL, **WINDOW}, "vin"),
        ("/api/fms/operations", {"actor": f"a{NUL}"}, "actor"),
        ("/api/fms/operations", {f"a{NUL}b": "1"}, "a\\x00b"),
    ],
)
async def test_a_nul_in_the_query_is_400_naming_the_parameter(
    client: Client, path: str, params: dict[str, str], field: str
) -> None:
    refused(await client.get(path, params=params), field)


async def test_a_nul_in_the_path_is_400(client: Client) -> None:
    refused(await client.post("/ingest/vehicles%00/url", params={"url": "http://x/y.csv"}), "report")


async def test_a_nul_in_a_header_is_400_naming_it(client: Client) -> None:
    refused(await client.get("/api/offices", headers={"X-Trace": "a\x00b"}), "x-trace")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BODY, "office": OFFICE + NUL}, "office"),
        ({**BODY, "partner_name": NUL}, "partner_name"),
        ({**BODY, "x": [NUL]}, "x[0]"),
        ({**BODY, f"x{NUL}": 1}, "'x\\x00'"),
    ],
)
async def test_a_nul_in_the_body_is_400_naming_the_field_and_nothing_is_stored(
    client: Client, body: dict[str, object], field: str
) -> None:
    refused(await client.post("/api/calendar/schedule-assignment", json=body), field)
    assert await assignments_of(client) == []


async def test_a_nul_deep_in_a_chain_names_its_slot(client: Client) -> None:
    chain = [SLOT, {**SLOT, "start_date": "2026-12-10", "end_date": "2026-12-12", "model": "Q5" + NUL}]
    response = await client.post("/api/chain-builder/save-chain", json={**CHAIN, "chain": chain})
    refused(response, "chain[1].model")
    assert await assignments_of(client) == []


async def test_lone_surrogates_in_a_body_are_400(client: Client) -> None:
    body = json.dumps({**BODY, "office": "?"}).replace('"?"', '"\\udc00"')
    response = await client.post(
        "/api/calendar/schedule-assignment", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert await assignments_of(client) == []


@pytest.mark.parametrize(
    "params",
    [
        {"since": "0001-01-01T00:00:00+23:00"},
        {"until": "9999-12-31T23:59:59-23:00"},
        {"assignment_id": str(2**63)},
    ],
)
async def test_values_out_of_the_databases_range_are_never_503(app_env: Env, params: dict[str, str]) -> None:
    response = await app_env[0].get("/api/fms/operations", params=params)
    assert response.status_code in (200, 400, 422), response.text
    assert response.status_code == 200 or "detail" in response.json()


async def test_a_control_character_that_can_be_stored_is_accepted(client: Client) -> None:
    body = {**BODY, "partner_name": "Rivera\tAlex\u0001"}
    response = await client.post("/api/calendar/schedule-assignment", json=body)
    assert response.status_code == 201, response.text


def vehicle_row(n: int, notes: str = "") -> bytes:
    """A vehicles report row of a Los Angeles car numbered n."""
    vin = f"KNDAB1234PU{n:06d}"
    return f"{90000 + n},2025,Kia,EV9,EV9 GT,{OFFICE},{vin},PRESS,,,0,1/2025,,{notes},Red\n".encode()


async def test_a_report_with_one_nul_row_loads_the_rest_and_names_that_row(client: Client) -> None:
    data = b"".join(vehicle_row(n, "bad\x00note" if n == 3 else "") for n in range(1, 41))
    response = await client.post("/ingest/vehicles", files={"file": ("vehicles.csv", data, "text/csv")})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["rows_processed"], body["rows_rejected"]) == (39, 1)
    assert body["bad_rows"] == [
        {"line": 3, "reason": "Notes: a NUL character at position 3, which cannot be stored"}
    ]
    vehicles = (await client.get("/api/calendar/vehicles", params={"office": OFFICE})).json()
    assert vehicles["count"] == 39


async def test_an_upload_whose_file_name_holds_a_nul_is_loaded_and_named_escaped(client: Client) -> None:
    boundary = "b0undary"
    content = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="v\x00.csv"\r\n'
            f"Content-Type: text/csv\r\n\r\n"
        ).encode()
        + fixture_bytes(ReportName.VEHICLES)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"content-type": f"multipart/form-data; boundary={boundary}"}
    response = await client.post("/ingest/vehicles", content=content, headers=headers)
    assert response.status_code == 200, response.text
    assert "upload 'v\\x00.csv'" in response.json()["message"]
