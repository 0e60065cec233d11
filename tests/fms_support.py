"""The FMS simulator for tests: started on a free 127.0.0.1 port in the test's own event loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

from fms_simulator.faults import FaultPlan
from fms_simulator.server import SimulatorServer
from fms_simulator.state import SimState
from fms_simulator.world import World
from tests.waits import start_seconds, stop_seconds

SIM_TOKEN = "sim-token-7f3a9c41d2e8b6f0a5c3e1d9"
TODAY = date(2026, 11, 24)


@asynccontextmanager
async def running_simulator(
    *, token: str | None = SIM_TOKEN, scale: float = 0.02, seed: int = 7, hang_seconds: float = 5.0
) -> AsyncIterator[SimulatorServer]:
    """A simulator serving on a free port until the block ends (hanging calls are released then)."""
    state = SimState(
        World(seed=seed, scale=scale, today=TODAY),
        token=token,
        faults=FaultPlan(),
        hang_seconds=hang_seconds,
    )
    async with SimulatorServer(state) as server:
        yield server


class SimulatorThread:
    """A simulator in a thread of its own with its own event loop, like one started by hand beside the
    service: Litestar's AsyncTestClient blocks the test's loop while the app handles a request, so a
    simulator the app calls cannot share that loop."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._ready = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None
        self.url = ""

    async def _main(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        try:
            async with running_simulator(**self._options) as server:
                self.url = server.url
                self._ready.set()
                await self._stop.wait()
        except BaseException as exc:  # reported to the starting thread
            self._error = exc
            self._ready.set()

    def __enter__(self) -> SimulatorThread:
        self._thread.start()
        if not self._ready.wait(timeout=start_seconds(embedded_postgres=False)) or self._error is not None:
            raise RuntimeError("the FMS simulator thread did not start") from self._error
        return self

    def __exit__(self, *exc_info: object) -> None:
        assert self._loop is not None
        assert self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=stop_seconds(embedded_postgres=False))
