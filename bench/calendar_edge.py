"""CPU per GET /api/calendar/activity of the app's edge alone: its ASGI stack driven in process, no socket.

The read model is a stub answering 100 fixed bars, so what is timed is everything around it: Litestar's
routing, guards (the sandbox's development identity, or a bearer JWT with --auth), dependencies, the
request-id and metrics middleware, the security headers, the response's encoding. The floor is the same
answer from one bare Litestar handler (as bench/calendar_floor.py, without the query). Pin it to a core:

    taskset -c 1 .venv/bin/python bench/calendar_edge.py [--requests 3000] [--rounds 3] [--auth]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import msgspec
from dependency_injector import providers
from litestar import Litestar, Response, get

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.calendar_read import AUTH_ENV, bearer_token

from application.calendar_bar import CalendarBar
from application.records import Window
from entrypoints.http.app import create_app
from entrypoints.http.calendar_schemas import ActivityResponse, Counts
from entrypoints.settings.auth import AuthSettings
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.security import SecuritySettings
from entrypoints.settings.service import Settings
from entrypoints.wiring.container import build_container
from entrypoints.wiring.logging_setup import configure_logging

TODAY = date.today()
BARS = [
    CalendarBar(
        "planned",
        n,
        None,
        f"1HGCM82633A{n:06d}",
        n,
        "Audi",
        "A4",
        TODAY,
        TODAY + timedelta(3),
        101,
        "Rivera, Alex",
        "Los Angeles",
        "Media Loan",
        "none",
        None,
        None,
    )
    for n in range(100)
]
QUERY = f"office=Los+Angeles&start_date={TODAY - timedelta(42)}&end_date={TODAY + timedelta(84)}"


class StubView:
    """The read model's port, answering the same bars every time."""

    async def bars(self, window: Window) -> list[CalendarBar]:
        """The 100 bars."""
        return list(BARS)


def real_app(auth: bool) -> Litestar:
    """The service's app on the memory backend, its read model the stub."""
    keys = AuthSettings(
        jwt_secret=AUTH_ENV["AUTH_JWT_SECRET"],
        issuer=AUTH_ENV["AUTH_JWT_ISSUER"],
        audience=AUTH_ENV["AUTH_JWT_AUDIENCE"],
    )
    settings = Settings(
        storage_backend="memory",
        demo_data=False,
        fms=FmsSettings(sandbox_latency_ms=0, sandbox="memory"),
        security=SecuritySettings(auth=keys if auth else AuthSettings()),
    )
    container = build_container(settings)
    container.calendar_view.override(providers.Object(StubView()))
    return create_app(container)


def floor_app() -> Litestar:
    """One handler, the same answer, encoded by hand."""

    @get("/api/calendar/activity")
    async def activity(office: str, start_date: date, end_date: date) -> Response[bytes]:
        """The stub's bars and their counts."""
        items = await StubView().bars(Window(start=start_date, end=end_date, office=office))
        statuses = [i.status for i in items]
        planned = sum(s in ("planned", "manual", "requested") for s in statuses)
        counts = Counts(statuses.count("completed"), statuses.count("active"), planned, len(items))
        body = msgspec.json.encode(ActivityResponse(office, start_date, end_date, items, counts))
        return Response(body, media_type="application/json")

    return Litestar([activity], debug=False)


def scope(token: str | None) -> dict[str, Any]:
    """An HTTP scope as uvicorn makes it for wrk's request."""
    headers = [(b"host", b"127.0.0.1:8000"), (b"user-agent", b"wrk"), (b"accept", b"*/*")]
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    path = "/api/calendar/activity"
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": QUERY.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def per_request(app: Litestar, requests: int, token: str | None) -> tuple[float, bytes]:
    """Microseconds per request, and one answer's body."""
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        sent.append(message)

    await app(scope(token), receive, send)  # type: ignore[arg-type]
    if sent[0]["status"] != 200:
        raise SystemExit(f"{sent[0]['status']}: {sent[1]['body']!r}")
    body = sent[1]["body"]
    began = time.perf_counter()
    for _ in range(requests):
        sent.clear()
        await app(scope(token), receive, send)  # type: ignore[arg-type]
    return (time.perf_counter() - began) / requests * 1e6, body


async def main(requests: int, rounds: int, auth: bool) -> None:
    """Both stacks in turn, several rounds; their answers checked equal first."""
    configure_logging("WARNING", "json")  # as calendar_read.py runs the app
    token = bearer_token() if auth else None
    apps = {"app": real_app(auth), "floor": floor_app()}
    bodies = {kind: (await per_request(app, 1, token))[1] for kind, app in apps.items()}
    if bodies["app"] != bodies["floor"]:
        raise SystemExit("the floor's answer differs from the app's")
    print(f"{len(BARS)} bars, {len(bodies['app']):,} bytes; {requests} requests a round, auth {auth}")
    for r in range(rounds):
        app_us = (await per_request(apps["app"], requests, token))[0]
        floor_us = (await per_request(apps["floor"], requests, token))[0]
        own = app_us - floor_us
        print(f"round {r + 1}: app {app_us:6.1f} us  floor {floor_us:6.1f} us  app's own {own:6.1f} us")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--auth", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.rounds, args.auth))
