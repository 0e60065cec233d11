"""End to end: the bulk endpoints' settings, and a caller who leaves before the run is over."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from dependency_injector import providers
from litestar.testing import AsyncTestClient

from adapters.memory.fms_gateway import MemoryFmsGateway
from domain.assignment import Assignment
from domain.values import Status
from entrypoints.http.app import create_app
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.limits import LimitSettings
from entrypoints.settings.service import Settings
from entrypoints.wiring.container import build_container
from tests.e2e.asgi_support import Asgi, served
from tests.e2e.test_bulk_api import CREATE, UNKNOWN, lines, stored, weeks
from tests.e2e.world import OFFICE, PARTNER, VIN_OK, seed
from tests.unit.application.bulk_support import CountingFms
from tests.waits import call_seconds, until


async def test_the_limits_come_from_the_settings() -> None:
    settings = Settings(
        storage_backend="memory",
        demo_data=False,
        fms=FmsSettings(sandbox_latency_ms=0, sandbox="memory"),
        limits=LimitSettings(bulk_max_items=6, fms_max_concurrency=2),
    )
    container = build_container(settings)
    sandbox = container.fms_gateway()
    assert isinstance(sandbox, MemoryFmsGateway)
    counting = CountingFms(sandbox)
    container.fms_gateway.override(providers.Object(counting))
    await seed(container.uow_factory())
    async with AsyncTestClient(app=create_app(container)) as client:
        ids = await weeks(client, 6)
        r = await client.post(CREATE, json=[*ids, UNKNOWN])
        assert (r.status_code, r.json()["detail"].count("at most 6")) == (413, 1)
        r = await client.post(CREATE, json=ids)
        assert (r.status_code, r.json()["succeeded"]) == (200, 6)
    assert counting.most_in_flight == 2


def raw_post(path: str, query: bytes, body: bytes) -> dict[str, Any]:
    """The ASGI scope of a JSON POST."""
    headers = [(b"host", b"testserver"), (b"content-type", b"application/json")]
    headers.append((b"content-length", str(len(body)).encode()))
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }


async def test_a_caller_who_leaves_mid_stream_does_not_leave_outcomes_unrecorded() -> None:
    container = build_container(
        Settings(
            storage_backend="memory", demo_data=False, fms=FmsSettings(sandbox_latency_ms=0, sandbox="memory")
        )
    )
    sandbox = container.fms_gateway()
    assert isinstance(sandbox, MemoryFmsGateway)
    counting = CountingFms(sandbox, latency=0.1)
    container.fms_gateway.override(providers.Object(counting))
    factory = container.uow_factory()
    await seed(factory)
    starts = [date(2027, 1, 4) + timedelta(days=7 * week) for week in range(4)]
    async with factory() as uow:
        added = [
            await uow.assignments.add(
                Assignment(VIN_OK, PARTNER, OFFICE, s, s + timedelta(days=7), Status.MANUAL)
            )
            for s in starts
        ]
    ids = [a.assignment_id for a in added if a.assignment_id is not None]
    app: Asgi = create_app(container)
    body = json.dumps(ids).encode()
    incoming: list[dict[str, Any]] = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if incoming:
            return incoming.pop()
        # Intents committed, FMS being called: the caller goes away.
        await until(fms_called, within=call_seconds(), what="an FMS call")
        return {"type": "http.disconnect"}

    async def fms_called() -> bool:
        return counting.most_in_flight > 0

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async with served(app):
        await app(raw_post(CREATE, b"stream=ndjson", body), receive, send)
        streamed = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        assert [line["event"] for line in lines(streamed.decode())] == ["started"]
    # The app has shut down, and only after the run stored the outcome of every call it made.
    for assignment_id in ids:
        assert (await stored(factory, assignment_id)).fms_state.value == "open"
    assert len(sandbox.requests) == 4
