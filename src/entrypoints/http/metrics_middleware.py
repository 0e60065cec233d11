"""Middleware: count and time every HTTP request by route template, method and status.

The route template comes from Litestar's scope (`/api/x/{id:int}`), never the raw path, so the label
set stays small. One perf_counter pair and two metric updates per request.
"""

from __future__ import annotations

import time

from litestar.enums import ScopeType
from litestar.middleware import DefineMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from adapters.metrics.registry import ServiceMetrics


def _metrics_middleware(app: ASGIApp, metrics: ServiceMetrics) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # unless a response starts

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, send_and_note)
        finally:
            route = scope.get("path_template") or "unmatched"
            metrics.http_request(route, scope.get("method", ""), status, time.perf_counter() - started)

    return middleware


def metrics_middleware(metrics: ServiceMetrics) -> DefineMiddleware:
    """The middleware bound to this app's metrics."""
    return DefineMiddleware(_metrics_middleware, metrics=metrics)
