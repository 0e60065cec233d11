"""Middleware: a request id bound to every log line of a request, and one access log line."""

from __future__ import annotations

import time
import uuid

import structlog
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger("media_scheduler.access")


def request_context_middleware(app: ASGIApp) -> ASGIApp:
    """Bind request_id, method and path; log status and duration when the response starts."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")[:64]
        request_id = incoming if incoming.isprintable() and incoming else uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(
            request_id=request_id, method=scope.get("method", ""), path=scope["path"]
        )
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
                log.info(
                    "request",
                    status=message["status"],
                    duration_ms=round((time.perf_counter() - started) * 1000, 1),
                )
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            structlog.contextvars.clear_contextvars()

    return middleware
