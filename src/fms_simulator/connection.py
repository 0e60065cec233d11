"""Dropping a connection without an answer: uvicorn's h11 protocol, plus a hook the app can call.

ASGI has no way to say "close the socket without a response": an app that returns without starting
one gets a 500 from uvicorn. So each connection of the simulator's server puts a `drop` callable in
the request scope (scope["extensions"]["fms_sim.connection"]); it closes the TCP connection itself
(a FIN, or a RST with SO_LINGER 0) and waits until uvicorn has seen the loss, so that nothing the
app sends afterwards reaches the wire.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

EXTENSION = "fms_sim.connection"


class DroppableH11Protocol(H11Protocol):
    """uvicorn's h11 protocol whose requests can drop their connection."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lost = asyncio.Event()
        inner = self.app

        async def app(scope: Any, receive: Any, send: Any) -> None:
            scope.setdefault("extensions", {})[EXTENSION] = {"drop": self.drop}
            await inner(scope, receive, send)

        self.app = app

    def connection_lost(self, exc: Exception | None) -> None:
        """uvicorn's handling, then wake whoever waits for the drop."""
        super().connection_lost(exc)
        self._lost.set()

    async def drop(self, *, reset: bool = False) -> None:
        """Close the connection now without answering (reset: send a TCP RST instead of a FIN)."""
        if reset:
            sock = self.transport.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.transport.abort()
        await self._lost.wait()


async def drop_connection(scope: Any, *, reset: bool = False) -> None:
    """Drop the connection the request came on; only the simulator's own server can do it."""
    hook = scope.get("extensions", {}).get(EXTENSION)
    if hook is None:
        raise RuntimeError("dropping a connection needs the simulator's server (SimulatorServer)")
    await hook["drop"](reset=reset)
