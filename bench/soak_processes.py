"""Service processes inside one soak: each a holder with its heartbeat and its tasks, and a crash.

A crash cancels every task the process started (a bulk's background calls included), stops its
heartbeat for good and never gives up its lease: what it held lapses, as when a process is killed.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from application.port_errors import PortError
from application.ports import Clock, UnitOfWorkFactory
from application.protocol.holds import Holder, renew_hold

_PROCESS: contextvars.ContextVar[SoakProcess | None] = contextvars.ContextVar("soak_process", default=None)


@dataclass(eq=False)
class SoakProcess:
    """One logical service process of the soak."""

    name: str
    lease: timedelta
    longest_call: timedelta
    uow: UnitOfWorkFactory
    clock: Clock
    tasks: dict[asyncio.Task[Any], None] = field(default_factory=dict)
    holder: Holder = field(init=False)

    def __post_init__(self) -> None:
        self.holder = Holder(self.name, lease=self.lease, longest_call=self.longest_call)

    async def begin(self) -> SoakProcess:
        """Record its lease and start its heartbeat."""
        await renew_hold(self.holder, uow_factory=self.uow, clock=self.clock)
        self.start(self._beat())
        return self

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self.holder.renew_every.total_seconds())
            with suppress(PortError):
                await renew_hold(self.holder, uow_factory=self.uow, clock=self.clock)

    def start(self, work: Awaitable[Any]) -> asyncio.Task[Any]:
        """Run work as this process's task; every task it starts in turn is this process's too."""
        context = contextvars.copy_context()
        context.run(_PROCESS.set, self)
        return asyncio.get_running_loop().create_task(_run(work), context=context)

    async def crash(self) -> None:
        """Die: every task cancelled mid-way, no outcome recorded, the lease left to lapse."""
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    async def stop(self) -> None:
        """Stop cleanly once its work is done: cancel what is left (the heartbeat)."""
        await self.crash()


async def _run(work: Awaitable[Any]) -> Any:
    return await work


def track_soak_tasks(loop: asyncio.AbstractEventLoop) -> None:
    """Make every task belong to the soak process whose context created it."""

    def factory(
        loop: asyncio.AbstractEventLoop, coro: Any, context: contextvars.Context | None = None
    ) -> asyncio.Task[Any]:
        task = asyncio.Task(coro, loop=loop, context=context)
        owner = (context or contextvars.copy_context()).get(_PROCESS)
        if owner is not None:
            owner.tasks[task] = None
            task.add_done_callback(lambda done: owner.tasks.pop(done, None))
        return task

    loop.set_task_factory(factory)
