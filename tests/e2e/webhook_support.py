"""Signed FMS webhook calls for the end-to-end tests, and an app with the webhook and metrics token on."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
from litestar.testing import AsyncTestClient

from adapters.fms_http.secret import Secret
from adapters.memory.fms_gateway import MemoryFmsGateway
from adapters.postgres.pool import create_pool
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.ports import UnitOfWorkFactory
from entrypoints.http.app import create_app
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.security import SecuritySettings
from entrypoints.settings.service import Settings
from entrypoints.wiring.container import build_container
from tests.e2e.world import Client, seed
from tests.pg_support import DatabaseFactory

SECRET = "whsec-test-0123456789"
METRICS_TOKEN = "scrape-token-abcdef"
WEBHOOK = "/api/fms/webhooks/vehicle-requests"
Env = tuple[Client, MemoryFmsGateway, UnitOfWorkFactory]


def sign(body: bytes, timestamp: int, secret: str = SECRET) -> dict[str, str]:
    """The headers FMS sends with this body."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return {"X-FMS-Timestamp": str(timestamp), "X-FMS-Signature": f"sha256={mac}"}


def event(event_id: str, kind: str, fms_request_id: int, activity_id: int | None = None) -> bytes:
    """An event body as FMS sends it."""
    request: dict[str, Any] = {"id": fms_request_id, "start_date": "12/01/26", "end_date": "12/08/26"}
    if activity_id is not None:
        request["activity_id"] = activity_id
    return json.dumps({"event_id": event_id, "type": kind, "request": request}).encode()


async def push(
    client: Client, body: bytes, *, timestamp: int | None = None, secret: str = SECRET
) -> httpx.Response:
    """POST a signed event (now, unless another timestamp is given)."""
    stamp = int(time.time()) if timestamp is None else timestamp
    headers = {"Content-Type": "application/json", **sign(body, stamp, secret)}
    return await client.post(WEBHOOK, content=body, headers=headers)


def settings_for(backend: str, dsn: str | None = None) -> Settings:
    """Sandbox settings with the webhook secret and a metrics token."""
    return Settings(
        storage_backend=backend,
        database_url=dsn,
        demo_data=False,
        fms=FmsSettings(sandbox_latency_ms=0, sandbox="memory"),
        security=SecuritySettings(fms_webhook_secret=Secret(SECRET), metrics_token=Secret(METRICS_TOKEN)),
    )


async def open_env(backend: str, pg_database_factory: DatabaseFactory) -> AsyncIterator[Env]:
    """A client on a fresh app (memory or PostgreSQL), the sandbox gateway, and a unit-of-work factory."""
    if backend == "memory":
        container = build_container(settings_for("memory"))
        factory: UnitOfWorkFactory = container.uow_factory()
        gateway = container.fms_gateway()
        assert isinstance(gateway, MemoryFmsGateway)
        await seed(factory)
        async with AsyncTestClient(app=create_app(container)) as client:
            yield client, gateway, factory
        return
    dsn = await pg_database_factory()
    pool = await create_pool(dsn, min_size=1, max_size=2)
    try:
        factory = PostgresUnitOfWorkFactory(pool)
        await seed(factory)
        container = build_container(settings_for("postgres", dsn))
        gateway = container.fms_gateway()
        assert isinstance(gateway, MemoryFmsGateway)
        async with AsyncTestClient(app=create_app(container)) as client:
            yield client, gateway, factory
    finally:
        await pool.close()
