"""The simulator's side of the FMS webhook: it pushes request.approved, signed, to the service.

It is given the URL and the secret by whoever starts it (the service's sandbox wiring); it imports
nothing of the service. The signature is the README's recipe: HMAC-SHA256 of "<timestamp>.<body>".
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from fms_simulator.shapes import SimRequest, fms_date


@dataclass(frozen=True)
class WebhookTarget:
    """Where approvals are pushed, and the shared secret that signs them (never shown)."""

    url: str
    secret: str = field(repr=False)
    timeout_seconds: float = 10.0


def approval_event(request: SimRequest) -> dict[str, Any]:
    """The request.approved event of an approved request (one event id per request: a replay)."""
    return {
        "event_id": f"sim-approved-{request.id}",
        "type": "request.approved",
        "request": {
            "id": request.id,
            "activity_id": request.activity_id,
            "start_date": fms_date(request.new.start_date),
            "end_date": fms_date(request.new.end_date),
        },
    }


def signed_headers(secret: str, body: bytes, timestamp: int) -> dict[str, str]:
    """X-FMS-Timestamp and X-FMS-Signature for this body."""
    stamp = str(timestamp)
    mac = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/json",
        "X-FMS-Timestamp": stamp,
        "X-FMS-Signature": f"sha256={mac}",
    }


async def push(target: WebhookTarget, event: dict[str, Any]) -> dict[str, Any]:
    """POST the event; what the service answered (status and body), or the error of the attempt."""
    body = json.dumps(event).encode()
    headers = signed_headers(target.secret, body, int(time.time()))
    try:
        async with httpx.AsyncClient(timeout=target.timeout_seconds) as client:
            answer = await client.post(target.url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    try:
        parsed: Any = answer.json()
    except ValueError:
        parsed = answer.text[:500]
    return {"status": answer.status_code, "body": parsed}
