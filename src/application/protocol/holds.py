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
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from application.port_errors import PortError
from application.ports import Clock, UnitOfWorkFactory


@dataclass
class Holder:
    """This process's identity as a holder of FMS operations, and its lease as last recorded."""

    name: str
    lease: timedelta
    longest_call: timedelta
    holder_id: UUID = None  # type: ignore[assignment]  # set in __post_init__
    lease_until: datetime | None = None

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

    def start_over(self) -> None:
        """Take a new identity: what the old one held is no longer this process's to settle."""
        self.holder_id = uuid4()
        self.lease_until = None

    @property
    def confirmed_at(self) -> datetime | None:
        """When the database last confirmed the lease (its last successful renewal); None before it."""
        return self.lease_until - self.lease if self.lease_until is not None else None

    @property
    def renew_every(self) -> timedelta:
        """How often the heartbeat renews the lease: often enough that a call never waits for it."""
        return min((self.lease - self.longest_call) / 2, self.lease / 4)


async def renew_hold(holder: Holder, *, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
    """Record a fresh lease for every operation the holder holds (one row; PortError on failure).

    When the lease had lapsed, the holder starts over under a new identity with a new lease.
    """
    now = clock.now()
    async with uow_factory() as uow:
        kept = await uow.holds.renew(holder.holder_id, holder.name, now + holder.lease, now=now)
    if not kept:
        holder.start_over()
        now = clock.now()
        async with uow_factory() as uow:
            await uow.holds.renew(holder.holder_id, holder.name, now + holder.lease, now=now)
    holder.lease_until = now + holder.lease


async def may_send(
    holder: Holder, held_by: UUID | None, *, uow_factory: UnitOfWorkFactory, clock: Clock
) -> bool:
    """True when the operation is still held under this process's current lease, long enough for a call."""
    return await ensure_hold(holder, uow_factory=uow_factory, clock=clock) and held_by == holder.holder_id


async def ensure_hold(holder: Holder, *, uow_factory: UnitOfWorkFactory, clock: Clock) -> bool:
    """True when the lease covers a call started now, renewing it first when it would not."""
    if holder.covers_a_call(clock.now()):
        return True
    try:
        await renew_hold(holder, uow_factory=uow_factory, clock=clock)
    except PortError:
        return False
    return holder.covers_a_call(clock.now())


async def drop_hold(holder: Holder, *, uow_factory: UnitOfWorkFactory) -> None:
    """A process stopping cleanly ends its lease: whatever it still holds may be taken over."""
    async with uow_factory() as uow:
        await uow.holds.release(holder.holder_id)
    holder.start_over()
