"""HttpFmsGateway on the wire: the exact request FMS gets for a known assignment, and lenient answers."""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable
from datetime import date
from uuid import UUID

import httpx
import pytest

from adapters.fms_http.client import FmsEndpoint, fms_client
from adapters.fms_http.gateway import HttpFmsGateway
from adapters.fms_http.secret import Secret
from application.port_errors import FmsAmbiguous
from domain.assignment import Assignment
from domain.fms_request import VehicleRequest, build_vehicle_request
from domain.reference import Partner, Vehicle
from domain.values import Status

TOKEN = "tok-9b1f27c4e0d3a8"
BASE = "https://fms.example.com/staging"
OP = UUID("4c8a8f0e-1f2b-4a51-9a77-0d6e8f1b2c3d")
Handler = Callable[[httpx.Request], httpx.Response]


def gateway_with(handler: Handler, seen: list[httpx.Request]) -> HttpFmsGateway:
    """A gateway whose every request is recorded in seen and answered by handler."""

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    endpoint = FmsEndpoint(BASE, Secret(TOKEN))
    client = fms_client(
        endpoint, timeout_seconds=5, connect_timeout_seconds=1, transport=httpx.MockTransport(record)
    )
    return HttpFmsGateway(client, endpoint)


def known_request(subcategory: int | None = 7) -> VehicleRequest:
    """The request of assignment 10610: VIN WAUZZZ..., partner 3035, 11/19/25 to 11/26/25."""
    assignment = Assignment(
        vin="WAUZZZ8K9DA123456",
        person_id=3035,
        office="Miami",
        start_day=date(2025, 11, 19),
        end_day=date(2025, 11, 26),
        status=Status.PLANNED,
        assignment_id=10610,
    )
    vehicle = Vehicle(vin=assignment.vin, office="Miami", fms_vehicle_id=89943, make="Audi", model="Q5")
    partner = Partner(
        person_id=3035,
        office="Miami",
        name="Rivera, Alex",
        affiliation="MotorWeek",
        activity_type_subcategory_id=subcategory,
    )
    return build_vehicle_request(
        assignment, vehicle=vehicle, partner=partner, requestor_id=1949, activity_type_id=1, operation_id=OP
    )


def created(request: httpx.Request) -> httpx.Response:
    return httpx.Response(201, json={"request": {"id": 4372, "status": "open", "extra": {"x": 1}}})


async def test_create_sends_exactly_the_documented_request() -> None:
    seen: list[httpx.Request] = []
    answer = await gateway_with(created, seen).create_request(known_request())
    assert (answer.status_code, answer.fms_request_id) == (201, 4372)
    (sent,) = seen
    assert sent.method == "POST"
    assert str(sent.url) == "https://fms.example.com/staging/api/v1/vehicle_requests"
    assert sent.headers["authorization"] == f"Token {TOKEN}"
    assert sent.headers["content-type"] == "application/json"
    assert sent.headers["accept"] == "application/json"
    assert json.loads(sent.content) == {
        "request": {
            "requestor_id": 1949,
            "start_date": "11/19/25",
            "end_date": "11/26/25",
            "activity_type_id": 1,
            "activity_to": "Rivera, Alex",
            "reason": "MotorWeek",
            "loanee_id": 3035,
            "requests_vehicles": [{"vehicle_id": 89943, "notes": "Audi Q5 (VIN: WAUZZZ8K9DA123456)"}],
            "activity_type_subcategory_id": 7,
            "requestor_notes": f"media-scheduler:assignment=10610:op={OP}",
        }
    }


async def test_the_subcategory_is_sent_only_when_the_partner_has_one() -> None:
    seen: list[httpx.Request] = []
    await gateway_with(created, seen).create_request(known_request(subcategory=None))
    body = json.loads(seen[0].content)["request"]
    assert "activity_type_subcategory_id" not in body
    assert body["start_date"] == "11/19/25"


async def test_delete_and_lookup_requests() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE":
            return httpx.Response(204)
        return httpx.Response(200, json={"requests": []})

    gateway = gateway_with(answer, seen)
    assert (await gateway.delete_request(4372)).status_code == 204
    assert await gateway.find_by_reference("media-scheduler:assignment=1:op=x") is None
    delete, lookup = seen
    assert (delete.method, str(delete.url)) == ("DELETE", f"{BASE}/api/v1/vehicle_requests/4372")
    assert delete.headers["authorization"] == f"Token {TOKEN}"
    assert delete.content == b""
    assert (lookup.method, lookup.url.path) == ("GET", "/staging/api/v1/vehicle_requests")
    assert lookup.url.params["requestor_notes"] == "media-scheduler:assignment=1:op=x"
    assert lookup.headers["authorization"] == f"Token {TOKEN}"


@pytest.mark.parametrize(
    "body",
    [
        {"request": {"id": "4372", "requestorName": "x"}},  # a numeric string is an id
        {"request": {"id": 4372}, "meta": [1, 2]},
    ],
)
async def test_answers_are_decoded_leniently(body: object) -> None:
    gateway = gateway_with(lambda _: httpx.Response(200, json=body), [])
    assert (await gateway.create_request(known_request())).fms_request_id == 4372


@pytest.mark.parametrize(
    "content",
    [
        b'{"request": {}}',
        b'{"request": {"id": null}}',
        b'{"id": 4372}',
        b'{"request": {"id": "abc"}}',
        b"OK",
        b"",
    ],
)
async def test_a_2xx_without_a_usable_id_is_ambiguous(content: bytes) -> None:
    gateway = gateway_with(lambda _: httpx.Response(201, content=content), [])
    with pytest.raises(FmsAmbiguous, match="without a usable request id") as unclear:
        await gateway.create_request(known_request())
    assert unclear.value.status_code == 201


def test_nothing_shows_the_token() -> None:
    endpoint = FmsEndpoint(BASE, Secret(TOKEN))
    gateway = gateway_with(created, [])
    for text in (repr(endpoint), str(endpoint), repr(gateway), f"{endpoint.token}", repr(Secret(TOKEN))):
        assert TOKEN not in text
    assert endpoint.token.reveal() == TOKEN
    assert Secret(TOKEN) == Secret(TOKEN)
    assert Secret(TOKEN) != Secret("other")
    assert copy.deepcopy(endpoint).token == endpoint.token
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(endpoint)
