"""Holds: which live process may settle an FMS operation.

A process holds every operation it has queued or started. Its hold is a lease the database records
(one row per process, renewed by a heartbeat), so every replica sees it; a crashed process stops
renewing and its holds lapse within one lease. An operation may be taken over (by the recovery
worker, or by a person) only when no live process holds it.

A call is sent only while the lease still covers the longest call: a call started under a lease ends
(answer or timeout) before that lease can lapse, so nobody takes over an operation whose call is
still under way, even when the heartbeat stalls.

A lapsed lease is never renewed: whoever takes an operation over marks its holder's lease dead in
the same transaction, and a renewal only extends a lease that is still running, so the two are
serialised on the holder's row. A process whose lease lapsed starts over under a new identity; the
calls it had queued under the old one are not sent.

A call is sent only under a lease the database confirmed within one renewal interval: once a renewal
or an outcome fails to store, queued calls wait until the database takes the heartbeat again, so at
most the calls already under way meet a database that is down (calls.py).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from application.port_errors import PortError
from application.ports import Clock, UnitOfWorkFactory
from application.protocol.outbox import Outbox


@dataclass
class Holder:
    """This process's identity as a holder of FMS operations, and its lease as last recorded."""

    name: str
    lease: timedelta
    longest_call: timedelta
    holder_id: UUID = None  # type: ignore[assignment]  # set in __post_init__
    lease_until: datetime | None = None
    confirmed_at: datetime | None = None  # when the database last took a renewal
    stopping: bool = False  # the process is stopping: no queued call is sent any more
    under_way: int = 0  # calls of this process FMS may be acting on right now
    cut_off: int = 0  # calls cancelled while under way (a stop): FMS may still act on them
    storage_ok: asyncio.Event = field(default_factory=asyncio.Event)  # set while the database takes writes
    outbox: Outbox = field(default_factory=Outbox)  # answers FMS gave that the database did not take yet
    in_hand: set[UUID] = field(default_factory=set)  # operations a task of this process is settling

    def __post_init__(self) -> None:
        if self.holder_id is None:
            self.holder_id = uuid4()
        if self.lease <= self.longest_call:
            raise ValueError(
                f"a hold's lease ({self.lease.total_seconds():g} s) must outlast the longest FMS call "
                f"({self.longest_call.total_seconds():g} s)"
            )

    def covers_a_call(self, now: datetime) -> bool:
        """True when a call started now ends before the recorded lease can lapse."""
        return self.lease_until is not None and now + self.longest_call < self.lease_until

    def confirmed_recently(self, now: datetime) -> bool:
        """True when the database took a renewal within one renewal interval."""
        return self.confirmed_at is not None and now - self.confirmed_at < self.renew_every

    def stop(self) -> None:
        """The process is stopping: queued calls are not sent (and stop waiting for storage)."""
        self.stopping = True
        self.storage_ok.set()

    def storage_failed(self) -> None:
        """A renewal or an outcome failed to store: queued calls wait for the next confirmed renewal."""
        self.storage_ok.clear()

    def start_over(self) -> None:
        """Take a new identity: what the old one held is no longer this process's to settle."""
        self.holder_id = uuid4()
        self.lease_until = None
        self.confirmed_at = None

    @property
    def renew_every(self) -> timedelta:
        """How often the heartbeat renews the lease: often enough that a call never waits for it."""
        return min((self.lease - self.longest_call) / 2, self.lease / 4)


async def renew_hold(holder: Holder, *, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
    """Record a fresh lease for every operation the holder holds (one row; PortError on failure).

    When the lease had lapsed, the holder starts over under a new identity with a new lease.
    """
    now = clock.now()
    try:
        async with uow_factory() as uow:
            kept = await uow.holds.renew(holder.holder_id, holder.name, now + holder.lease, now=now)
        if not kept:
            holder.start_over()
            now = clock.now()
            async with uow_factory() as uow:
                await uow.holds.renew(holder.holder_id, holder.name, now + holder.lease, now=now)
    except PortError:
        holder.storage_failed()
        raise
    holder.lease_until = now + holder.lease
    holder.confirmed_at = now
    holder.storage_ok.set()


async def ensure_hold(holder: Holder, *, uow_factory: UnitOfWorkFactory, clock: Clock) -> bool:
    """True when the lease covers a call started now, renewing it first when it would not."""
    if holder.covers_a_call(clock.now()):
        return True
    try:
        await renew_hold(holder, uow_factory=uow_factory, clock=clock)
    except PortError:
        return False
    return holder.covers_a_call(clock.now())


async def drop_hold(holder: Holder, *, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
    """A process stopping ends its lease: what it still holds may be taken over at once, unless calls
    were cut off under way (FMS may still act on them): then the lease runs one more lease, as the
    quiet time after an ambiguous answer, and lapses by itself."""
    if holder.under_way or holder.cut_off:
        await renew_hold(holder, uow_factory=uow_factory, clock=clock)
    else:
        async with uow_factory() as uow:
            await uow.holds.release(holder.holder_id)
    holder.start_over()
