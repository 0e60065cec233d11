"""Signed FMS webhook calls for the end-to-end tests, and an app with the webhook and metrics token on."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx

from adapters.fms_http.secret import Secret
from entrypoints.settings.security import SecuritySettings
from tests.e2e.app_env import Env
from tests.e2e.app_env import open_env as open_app_env
from tests.e2e.world import Client
from tests.pg_support import DatabaseFactory

SECRET = "whsec-test-0123456789"
METRICS_TOKEN = "scrape-token-abcdef"
WEBHOOK = "/api/fms/webhooks/vehicle-requests"


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


def webhook_security() -> SecuritySettings:
    """The webhook secret and a metrics token."""
    return SecuritySettings(fms_webhook_secret=Secret(SECRET), metrics_token=Secret(METRICS_TOKEN))


async def open_env(backend: str, pg_database_factory: DatabaseFactory) -> AsyncIterator[Env]:
    """A client on a fresh app with the webhook and metrics token on (app_env.open_env)."""
    async for opened in open_app_env(backend, pg_database_factory, security=webhook_security()):
        yield opened
