"""SimulatorServer: the simulator on a real TCP port, in the caller's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator
from types import TracebackType
from typing import Self

import uvicorn

from fms_simulator.app import create_sim_app
from fms_simulator.connection import DroppableH11Protocol
from fms_simulator.state import SimState

START_TIMEOUT_SECONDS = 10.0


class _EmbeddedServer(uvicorn.Server):
    """A uvicorn server that leaves signal handling to its host (another server may own it)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Do not touch SIGINT/SIGTERM: the process's own server or command handles them."""
        yield


class SimulatorServer:
    """Serves a simulator state over HTTP on host:port (port 0: a free one), until stop()."""

    def __init__(
        self, sim: SimState, *, host: str = "127.0.0.1", port: int = 0, handle_signals: bool = False
    ) -> None:
        self.sim = sim
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted connections only when the
        # listening socket says so, and without it every answer with a body waits ~40 ms (Nagle).
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.host, self.port = self._socket.getsockname()[:2]
        config = uvicorn.Config(
            create_sim_app(sim),
            http=DroppableH11Protocol,
            lifespan="off",
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config) if handle_signals else _EmbeddedServer(config)
        self._task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        """The base URL clients call."""
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        """Start serving and return once the server accepts requests."""
        self._task = asyncio.create_task(self._server.serve(sockets=[self._socket]))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT_SECONDS
        while not self._server.started:  # uvicorn offers no start event: poll its flag
            if self._task.done():
                await self._task
                raise RuntimeError("the FMS simulator stopped while starting")
            if loop.time() > deadline:
                raise RuntimeError("the FMS simulator did not start in time")
            await asyncio.sleep(0.01)

    async def serve_forever(self) -> None:
        """Serve until the server is told to exit (by a signal, with handle_signals)."""
        await self._server.serve(sockets=[self._socket])

    async def stop(self) -> None:
        """Release hanging calls, stop serving and close the port."""
        self.sim.release_hanging()
        self._server.should_exit = True
        if self._task is not None:
            await self._task
            self._task = None
        self._socket.close()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()
