"""End to end: the three bulk endpoints, JSON and NDJSON, on memory and on PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from application.ports import UnitOfWorkFactory
from domain.assignment import Assignment
from tests.e2e.conftest import Env
from tests.e2e.world import VIN_BUSY, VIN_NO_FMS, VIN_OK, Client, schedule

CREATE = "/api/fms/bulk-create-vehicle-requests"
UNREQUEST = "/api/fms/bulk-unrequest-vehicle-requests"
DELETE = "/api/fms/bulk-delete-vehicle-requests"
UNKNOWN = 987_654


def monday(week: int) -> str:
    """The Monday `week` weeks after 2027-01-04."""
    return (date(2027, 1, 4) + timedelta(days=7 * week)).isoformat()


async def weeks(client: Client, count: int, vin: str = VIN_OK) -> list[int]:
    """count back-to-back manual week-long assignments of a vehicle (each hands over to the next)."""
    return [await schedule(client, vin, monday(w)) for w in range(count)]


async def stored(factory: UnitOfWorkFactory, assignment_id: int) -> Assignment:
    """The assignment as the database holds it."""
    async with factory() as uow:
        found = await uow.assignments.get(assignment_id)
    assert found is not None
    return found


def brief(item: dict[str, Any]) -> tuple[Any, ...]:
    """(id, success, error_code, created_in_fms, deleted_from_fms, status, fms_state) of a result."""
    keys = (
        "assignment_id",
        "success",
        "error_code",
        "created_in_fms",
        "deleted_from_fms",
        "status",
        "fms_state",
    )
    return tuple(item[k] for k in keys)


async def test_bulk_create_of_a_mixed_batch(app_env: Env) -> None:
    client, gateway, factory = app_env
    first, second, already = await weeks(client, 3)
    assert (await client.post(f"/api/fms/create-vehicle-request/{already}")).status_code == 200
    no_fms = await schedule(client, VIN_NO_FMS, "2027-01-04")

    r = await client.post(CREATE, json={"assignment_ids": [first, UNKNOWN, second, first, already, no_fms]})

    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["total"], body["succeeded"], body["failed"]) == (5, 3, 2)
    assert [brief(i) for i in body["results"]] == [
        (first, True, None, True, False, "requested", "open"),
        (UNKNOWN, False, "not_found", False, False, None, None),
        (second, True, None, True, False, "requested", "open"),
        (already, True, None, False, False, "requested", "open"),
        (no_fms, False, "vehicle_not_requestable", False, False, "manual", "none"),
    ]
    assert "not found" in body["results"][1]["error"]
    assert VIN_NO_FMS in body["results"][4]["error"]
    held = {i["fms_request_id"] for i in body["results"][:1] + body["results"][2:4]}
    assert held == set(gateway.requests)
    assert (await stored(factory, first)).fms_request_id == body["results"][0]["fms_request_id"]
    assert (await stored(factory, no_fms)).fms_state.value == "none"


async def test_fms_refusing_one_vehicle_fails_only_that_line(app_env: Env) -> None:
    client, gateway, factory = app_env
    ids = await weeks(client, 4)
    busy = await schedule(client, VIN_BUSY, "2027-01-04")
    gateway.refused_vehicle_ids = {89944}

    r = await client.post(CREATE, json=[*ids[:2], busy, *ids[2:]])  # a bare array

    body = r.json()
    assert (r.status_code, body["succeeded"], body["failed"]) == (200, 4, 1)
    refused = body["results"][2]
    assert brief(refused) == (busy, False, "fms_rejected", False, False, "manual", "none")
    assert "89944" in refused["error"]
    assert (await stored(factory, busy)).last_error is not None
    assert len(gateway.requests) == 4


async def test_bulk_delete_calls_fms_once_per_requested_assignment(app_env: Env) -> None:
    client, gateway, factory = app_env
    ids = await weeks(client, 5)
    assert (await client.post(CREATE, json=ids[2:])).json()["succeeded"] == 3
    gateway.calls.clear()

    r = await client.post(DELETE, json={"assignment_ids": ids, "source": "chain-builder"})

    body = r.json()
    assert (r.status_code, body["succeeded"]) == (200, 5)
    assert [i["deleted_from_fms"] for i in body["results"]] == [False, False, True, True, True]
    assert all(i["removed"] for i in body["results"])
    assert [call for call, _ in gateway.calls] == ["delete"] * 3
    assert gateway.requests == {}
    for assignment_id in ids:
        assert (await stored(factory, assignment_id)).removed


async def test_bulk_unrequest_returns_to_the_earlier_status(app_env: Env) -> None:
    client, gateway, _ = app_env
    ids = await weeks(client, 2)
    await client.post(CREATE, json=ids)

    r = await client.post(UNREQUEST, json=[*ids, UNKNOWN])

    assert [brief(i) for i in r.json()["results"]] == [
        (ids[0], True, None, False, True, "manual", "none"),
        (ids[1], True, None, False, True, "manual", "none"),
        (UNKNOWN, False, "not_found", False, False, None, None),
    ]
    assert gateway.requests == {}


async def test_unknown_ids_only_still_answer_200(client: Client) -> None:
    r = await client.post(DELETE, json=[UNKNOWN, UNKNOWN + 1, 0, -1, 2**63])
    body = r.json()
    assert (r.status_code, body["total"], body["failed"]) == (200, 5, 5)
    assert {i["error_code"] for i in body["results"]} == {"not_found"}


async def test_too_many_ids_is_413(client: Client) -> None:
    r = await client.post(CREATE, json=list(range(1, 502)))
    assert r.status_code == 413
    assert "501" in r.json()["detail"]
    assert "at most 500" in r.json()["detail"]


async def test_an_empty_list_is_422(client: Client) -> None:
    bodies: list[Any] = [[], {"assignment_ids": []}]
    for body in bodies:
        r = await client.post(DELETE, json=body)
        assert r.status_code == 422, body
        assert "empty" in r.json()["detail"]


MALFORMED = [
    b'"x"',
    b"[1.5]",
    b"[true]",
    b"[null]",
    b'{"ids": [1]}',
    b'{"assignment_ids": "1"}',
    b"[1, 2",
    b"",
]


async def test_a_malformed_body_is_400(client: Client) -> None:
    for content in MALFORMED:
        r = await client.post(UNREQUEST, content=content, headers={"content-type": "application/json"})
        assert r.status_code == 400, (content, r.text)
        assert r.json()["detail"]


def lines(text: str) -> list[dict[str, Any]]:
    """The NDJSON lines of a streamed answer."""
    return [json.loads(line) for line in text.splitlines() if line]


@pytest.mark.parametrize(
    ("params", "headers"), [({"stream": "ndjson"}, {}), ({}, {"accept": "application/x-ndjson"})]
)
async def test_streamed_progress_then_a_summary(
    app_env: Env, params: dict[str, str], headers: dict[str, str]
) -> None:
    client, gateway, _ = app_env
    ids = await weeks(client, 3)

    r = await client.post(CREATE, json=[UNKNOWN, *ids], params=params, headers=headers)

    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/x-ndjson")
    started, *items, summary = lines(r.text)
    assert started == {"event": "started", "action": "request", "total": 4}
    assert sorted(i["index"] for i in items) == [0, 1, 2, 3]
    assert {i["assignment_id"]: i["success"] for i in items} == {UNKNOWN: False, **dict.fromkeys(ids, True)}
    assert all(i["event"] == "item" for i in items)
    assert summary == {"event": "summary", "total": 4, "succeeded": 3, "failed": 1}
    assert len(gateway.requests) == 3


async def test_errors_before_the_first_line_are_plain_json(client: Client) -> None:
    r = await client.post(CREATE, json=list(range(1, 600)), params={"stream": "ndjson"})
    assert (r.status_code, r.headers["content-type"]) == (413, "application/json")
    r = await client.post(CREATE, json=[1], params={"stream": "csv"})
    assert r.status_code == 400
