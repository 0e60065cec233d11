"""The actors of the protocol state machine: a gated FMS whose calls wait to be answered, and processes.

Every FMS call (create, delete, lookup) waits at the gate until the machine answers it, with or
without a fault, so bulk queues, single actions, recovery passes and people interleave at the points
where they really can. A process is a holder plus its tasks and its own clock: the database's time
as it last read it, carried forward by a monotonic clock that may run up to 1 % fast or slow. A crash
cancels its tasks, decides for each call it had at the gate whether FMS acted on it, and stops its
heartbeat for good. The storage can go down for a while: every unit of work then fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from adapters.anchored_clock import AnchoredClock
from adapters.fms_faults import FmsFault
from adapters.memory.clock import FixedClock
from adapters.memory.fms_gateway import MemoryFmsGateway
from adapters.memory.unit_of_work import MemoryUnitOfWork, MemoryUnitOfWorkFactory
from application.errors import ApplicationError
from application.port_errors import FmsAmbiguous, FmsCallError, PortError, StorageUnavailable
from application.ports import Clock, FmsAnswer
from application.protocol.holds import Holder
from domain.errors import DomainError
from domain.fms_request import VehicleRequest

# The machine's processes: a short lease (four heartbeats) against a 15 s call, so that a queue of
# a few calls outlasts a lease.
MACHINE_LEASE = timedelta(seconds=40)
MACHINE_CALL = timedelta(seconds=15)


def machine_holder() -> Holder:
    """A holder with the machine's lease."""
    return Holder(name="machine", lease=MACHINE_LEASE, longest_call=MACHINE_CALL)


CURRENT_PROCESS: contextvars.ContextVar[str] = contextvars.ContextVar("process", default="?")


@dataclass
class GatedCall:
    """One FMS call waiting to be answered."""

    kind: str
    process: str
    perform: Callable[[], Awaitable[Any]]
    answer: asyncio.Future[Any]
    sent_at: datetime


class GatedFms:
    """The sandbox FMS behind a gate: each call waits until the machine answers it."""

    def __init__(self, inner: MemoryFmsGateway, clock: Clock) -> None:
        self.inner = inner
        self.clock = clock
        self.waiting: list[GatedCall] = []

    async def _gate(self, kind: str, perform: Callable[[], Awaitable[Any]]) -> Any:
        answer = asyncio.get_running_loop().create_future()
        call = GatedCall(kind, CURRENT_PROCESS.get(), perform, answer, self.clock.now())
        self.waiting.append(call)
        try:
            return await call.answer
        finally:
            if call in self.waiting:
                self.waiting.remove(call)

    async def create_request(self, request: VehicleRequest) -> FmsAnswer:
        """Create, once the machine answers."""
        return await self._gate("create", lambda: self.inner.create_request(request))  # type: ignore[no-any-return]

    async def delete_request(self, fms_request_id: int) -> FmsAnswer:
        """Delete, once the machine answers."""
        return await self._gate("delete", lambda: self.inner.delete_request(fms_request_id))  # type: ignore[no-any-return]

    async def find_by_reference(self, reference: str) -> int | None:
        """Look up, once the machine answers."""
        return await self._gate("lookup", lambda: self.inner.find_by_reference(reference))  # type: ignore[no-any-return]

    async def answer(self, call: GatedCall, fault: FmsFault | None, unclear_lookup: bool) -> None:
        """Let FMS act on the call (or fail it) and hand the answer to the caller."""
        if call.answer.done():
            return
        if call.kind == "lookup" and unclear_lookup:
            # An answer that ignored the filter or is one page of several: the adapter says ambiguous.
            call.answer.set_exception(FmsAmbiguous("lookup answer does not cover the reference"))
            return
        if fault is not None and call.kind != "lookup":
            self.inner.fail_next(fault)
        try:
            call.answer.set_result(await call.perform())
        except FmsCallError as error:
            call.answer.set_exception(error)
        finally:
            self.inner.faults.clear()

    async def time_out(self, call: GatedCall, reached: bool) -> None:
        """The client gave up waiting (a call lasts at most the longest call): FMS acted on it or not."""
        if call.answer.done():
            return
        await self.crash(call, reached)
        call.answer.set_exception(FmsAmbiguous("timed out waiting for FMS"))

    async def crash(self, call: GatedCall, reached: bool) -> None:
        """The caller died with this call at the gate: FMS acted on it or not; nobody hears back."""
        if reached and call.kind != "lookup":
            with contextlib.suppress(FmsCallError):
                await call.perform()


class BlinkingStorage(MemoryUnitOfWorkFactory):
    """The memory store with a switch: while down, every unit of work fails as an unreachable
    database does (intents, outcomes, renewals and reads alike)."""

    down: bool = False

    def __call__(self) -> MemoryUnitOfWork:
        """A unit of work, failing at its start while the storage is down."""
        return _Unreachable(self.store) if self.down else super().__call__()


class _Unreachable(MemoryUnitOfWork):
    async def __aenter__(self) -> _Unreachable:
        raise StorageUnavailable("database error while beginning a transaction: connection refused")


class DriftingMonotonic:
    """A process's monotonic clock: follows the machine's time at its own rate (changed by the machine)."""

    def __init__(self, database: FixedClock) -> None:
        self.database = database
        self.rate = 0.0
        self._since = database.now()
        self._reading = 1000.0

    def __call__(self) -> float:
        elapsed = (self.database.now() - self._since).total_seconds()
        return self._reading + elapsed * (1 + self.rate)

    def run_at(self, rate: float) -> None:
        """From now on, run at this rate (a monotonic clock never jumps)."""
        self._reading, self._since, self.rate = self(), self.database.now(), rate


@dataclass
class Process:
    """A service process: its holder, its tasks, its clock, and whether it is still alive."""

    name: str
    database_clock: FixedClock
    holder: Holder = field(default_factory=machine_holder)
    tasks: dict[asyncio.Task[Any], None] = field(default_factory=dict)  # ordered: replays stay alike
    alive: bool = True
    stalled: bool = False  # misses its heartbeats (a database hiccup) without dying
    monotonic: DriftingMonotonic = field(init=False)
    clock: AnchoredClock = field(init=False)

    def __post_init__(self) -> None:
        self.monotonic = DriftingMonotonic(self.database_clock)
        self.clock = AnchoredClock(self.monotonic)
        self.sync_clock()

    def sync_clock(self) -> None:
        """Read the database's time, as the heartbeat does."""
        reading = self.monotonic()
        self.clock.anchor(self.database_clock.now(), asked_at=reading, answered_at=reading)

    def start(self, loop: asyncio.AbstractEventLoop, work: Awaitable[Any]) -> None:
        """Run work as one of this process's tasks (its FMS calls are marked as this process's)."""
        context = contextvars.copy_context()
        context.run(CURRENT_PROCESS.set, self.name)
        loop.create_task(_quietly(work), context=context)  # the task factory records it


def track_tasks(loop: asyncio.AbstractEventLoop, processes: dict[str, Process]) -> None:
    """Record every task (the bulk's own background tasks too) with the process that created it."""

    def factory(
        loop: asyncio.AbstractEventLoop, coro: Any, context: contextvars.Context | None = None
    ) -> asyncio.Task[Any]:
        task = asyncio.Task(coro, loop=loop, context=context)
        owner = processes.get((context or contextvars.copy_context()).get(CURRENT_PROCESS, "?"))
        if owner is not None:
            owner.tasks[task] = None
            task.add_done_callback(lambda done: owner.tasks.pop(done, None))
        return task

    loop.set_task_factory(factory)


async def _quietly(work: Awaitable[Any]) -> None:
    """Run work; what it raises is the caller's answer (refusals, conflicts), not the machine's."""
    with contextlib.suppress(ApplicationError, DomainError, PortError):
        await work
