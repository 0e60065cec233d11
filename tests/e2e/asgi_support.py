"""The app served in the test's own event loop: its ASGI lifespan, and an httpx client over ASGI.

Litestar's test client runs the app on a loop of its own in another thread and handles one request at a
time; these let a test run requests concurrently, stream a request body, and share asyncio objects
(events, gated sources) with the app.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

import httpx

Asgi = Callable[[Any, Any, Any], Coroutine[Any, Any, None]]  # an ASGI app, called here by hand


@asynccontextmanager
async def served(app: Asgi) -> AsyncIterator[None]:
    """The app's ASGI lifespan run in this task's loop: started on entry, shut down on exit."""
    started, stopping, stopped = asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def receive() -> dict[str, Any]:
        if not started.is_set():
            return {"type": "lifespan.startup"}
        await stopping.wait()
        return {"type": "lifespan.shutdown"}

    async def send(message: dict[str, Any]) -> None:
        (started if message["type"].startswith("lifespan.startup") else stopped).set()

    lifespan = asyncio.create_task(
        app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)
    )
    await started.wait()
    try:
        yield
    finally:
        stopping.set()
        await stopped.wait()
        await lifespan


@asynccontextmanager
async def asgi_client(app: Asgi) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client on the app (lifespan started), in this loop; request bodies are streamed."""
    async with (
        served(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client,
    ):
        yield client
