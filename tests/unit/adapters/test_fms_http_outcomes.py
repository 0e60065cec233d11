"""HttpFmsGateway classifies every outcome: success, definite refusal, not reached, or ambiguous."""

from __future__ import annotations

import socket

import httpx
import pytest

from adapters.fms_http.client import FmsEndpoint, fms_client
from adapters.fms_http.gateway import HttpFmsGateway
from adapters.fms_http.secret import Secret
from application.port_errors import (
    FmsAmbiguous,
    FmsCallError,
    FmsCredentialsRefused,
    FmsDefiniteRefusal,
    FmsNotReached,
)
from tests.unit.adapters.test_fms_http_wire import TOKEN, gateway_with, known_request


def answering(status: int, **kwargs: object) -> HttpFmsGateway:
    """A gateway whose FMS answers every call with this status and content."""
    return gateway_with(lambda _: httpx.Response(status, **kwargs), [])  # type: ignore[arg-type]


def raising(error: Exception) -> HttpFmsGateway:
    """A gateway whose transport fails with this httpx error."""

    def fail(request: httpx.Request) -> httpx.Response:
        raise error

    return gateway_with(fail, [])


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (401, FmsCredentialsRefused),
        (403, FmsCredentialsRefused),
        (400, FmsDefiniteRefusal),
        (404, FmsDefiniteRefusal),
        (422, FmsDefiniteRefusal),
        (500, FmsAmbiguous),
        (502, FmsAmbiguous),
        (503, FmsAmbiguous),
        (504, FmsAmbiguous),
        (302, FmsAmbiguous),
    ],
)
async def test_statuses_of_a_create(status: int, kind: type[FmsCallError]) -> None:
    with pytest.raises(FmsCallError) as failed:
        await answering(status, json={"errors": [{"detail": "Access denied"}]}).create_request(
            known_request()
        )
    assert type(failed.value) is kind
    assert failed.value.status_code == status


@pytest.mark.parametrize(
    ("content", "content_type", "message"),
    [
        (b'{"errors":[{"detail":"Start date is invalid"}]}', "application/json", "Start date is invalid"),
        (b'{"errors":[{"detail":"a"},{"title":"b"}]}', "application/json", "a; b"),
        (
            b'{"errors":{"start_date":["is invalid"],"loanee":["must exist"]}}',
            "application/json",
            "start_date is invalid; loanee must exist",
        ),
        (b'{"errors":["Vehicle is retired"]}', "application/json", "Vehicle is retired"),
        (b'{"error":"Record not found"}', "application/json", "Record not found"),
        (b'{"message":"Contact not found"}', "application/json", "Contact not found"),
        (b"Vehicle 12 not found\n", "text/plain", "Vehicle 12 not found"),
        (b"<html><body>Not Found</body></html>", "text/html", "FMS answered 404 Not Found"),
        (b"", "", "FMS answered 404 Not Found"),
    ],
)
async def test_the_refusal_carries_fms_own_message(content: bytes, content_type: str, message: str) -> None:
    gateway = answering(404, content=content, headers={"content-type": content_type})
    with pytest.raises(FmsDefiniteRefusal) as refused:
        await gateway.create_request(known_request())
    assert refused.value.message == message


async def test_a_long_message_is_cut() -> None:
    with pytest.raises(FmsDefiniteRefusal) as refused:
        await answering(422, text="x" * 5000).create_request(known_request())
    assert len(refused.value.message) == 300


async def test_a_token_echoed_by_fms_is_redacted() -> None:
    body = {"errors": [{"detail": f"token {TOKEN} is not allowed"}]}
    for status in (401, 422, 500):
        with pytest.raises(FmsCallError) as failed:
            await answering(status, json=body).create_request(known_request())
        assert TOKEN not in str(failed.value)
        assert TOKEN not in failed.value.message
        assert "***" in failed.value.message


@pytest.mark.parametrize("call", ["create", "delete"])
@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), FmsNotReached),
        (httpx.ConnectError("[Errno -2] Name or service not known"), FmsNotReached),
        (httpx.ConnectTimeout("timed out"), FmsNotReached),
        (httpx.PoolTimeout("no connection free"), FmsNotReached),
        (httpx.ReadTimeout("timed out"), FmsAmbiguous),
        (httpx.WriteTimeout("timed out"), FmsAmbiguous),
        (httpx.ReadError("[Errno 104] Connection reset by peer"), FmsAmbiguous),
        (httpx.WriteError("broken pipe"), FmsAmbiguous),
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), FmsAmbiguous),
    ],
)
async def test_transport_errors(error: Exception, kind: type[FmsCallError], call: str) -> None:
    gateway = raising(error)
    send = gateway.create_request(known_request()) if call == "create" else gateway.delete_request(1)
    with pytest.raises(FmsCallError) as failed:
        await send
    assert type(failed.value) is kind
    assert failed.value.status_code is None
    assert isinstance(failed.value.__cause__, httpx.HTTPError)


@pytest.mark.parametrize("status", [200, 204, 404])
async def test_delete_success_and_already_gone(status: int) -> None:
    answer = await answering(status, json={"errors": [{"detail": "Not found"}]}).delete_request(7)
    assert answer.status_code == status
    assert answer.fms_request_id is None


@pytest.mark.parametrize(
    ("status", "kind"), [(401, FmsCredentialsRefused), (422, FmsDefiniteRefusal), (500, FmsAmbiguous)]
)
async def test_delete_failures(status: int, kind: type[FmsCallError]) -> None:
    with pytest.raises(FmsCallError) as failed:
        await answering(status).delete_request(7)
    assert type(failed.value) is kind


async def test_a_closed_port_is_not_reached() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the call: nobody listens there
    endpoint = FmsEndpoint(f"http://127.0.0.1:{port}", Secret(TOKEN))
    async with fms_client(endpoint, timeout_seconds=2, connect_timeout_seconds=2) as client:
        with pytest.raises(FmsNotReached, match="could not connect"):
            await HttpFmsGateway(client, endpoint).create_request(known_request())


@pytest.mark.parametrize(
    ("listing", "found"),
    [
        ({"requests": []}, None),
        ([], None),
        ({"requests": [{"request": {"id": 9, "requestorNotes": "ref"}}]}, 9),
        ({"vehicle_requests": [{"id": 9, "requestor_notes": " ref "}]}, 9),
        # a filter that keeps notes containing the reference: only the exact one is ours
        ({"requests": [{"id": 8, "requestorNotes": "ref-2"}, {"id": 9, "requestorNotes": "ref"}]}, 9),
    ],
)
async def test_lookup_answers(listing: object, found: int | None) -> None:
    assert await answering(200, json=listing).find_by_reference("ref") == found


@pytest.mark.parametrize(
    "listing",
    [
        {"requests": [{"request": {"requestorNotes": "ref"}}]},  # no id
        {"requests": [{"request": {"id": 7}}]},  # no notes: ours or not cannot be told
        {"requests": [{"request": {"id": 1, "requestorNotes": "ref"}}, {"id": 2, "requestorNotes": "ref"}]},
        # FMS ignored the filter and listed everything: "none of them is ours" proves nothing
        {"requests": [{"request": {"id": 8, "requestorNotes": "ref-2"}}, {"id": 7, "requestorNotes": None}]},
        {"count": 3},  # no list at all
        "nonsense",
    ],
)
async def test_a_lookup_answer_that_cannot_be_judged_is_ambiguous(listing: object) -> None:
    with pytest.raises(FmsAmbiguous):
        await answering(200, json=listing).find_by_reference("ref")
