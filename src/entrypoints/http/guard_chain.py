"""The app's guards as one: Litestar hands every guard its own copy of the route handler (a shallow copy
of a large object per guard per request); one guard running the others in order costs one copy."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None] | None]


def guard_chain(*guards: Guard) -> Guard:
    """One guard running these in order on the same handler copy; the first to raise stops the rest."""

    async def chained(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        for guard in guards:
            outcome = guard(connection, handler)
            if inspect.isawaitable(outcome):
                await outcome

    return chained
