"""What the use-cases read or hold outside a unit of work: counts of unsettled operations, readiness,
a lock across replicas, the clock, the calendar's read model."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from application.calendar_bar import CalendarBar
from application.records import (
    Window,
)


class UnsettledOperations(Protocol):
    """A census of the FMS operations not yet settled (read at metrics scrape time)."""

    async def counts(self) -> dict[str, int]:
        """Live assignments per FMS state among creating, deleting and unknown."""
        ...


class ReadinessProbe(Protocol):
    """What readiness asks the storage: can it write, and what a process holds."""

    async def writable(self) -> bool:
        """True when a new transaction may write (not read-only, not a standby in recovery)."""
        ...

    async def held_since(self, holder_id: UUID, *, intent_before: datetime) -> int:
        """Live operations that holder holds whose intent was recorded before `intent_before`."""
        ...


class WorkerLock(Protocol):
    """A lock held by at most one process of every replica (one recovery worker at a time)."""

    def hold(self, name: str) -> AbstractAsyncContextManager[bool]:
        """Try to take the named lock for the block; yields False (without waiting) when another holds it."""
        ...


class Clock(Protocol):
    """The current time."""

    def now(self) -> datetime:
        """Now, timezone-aware UTC."""
        ...

    def today(self) -> date:
        """Today's date."""
        ...


class CalendarView(Protocol):
    """The calendar's read model: what the activity window shows, read in as few round trips as it can."""

    async def bars(self, window: Window) -> list[CalendarBar]:
        """Loan history, current activities and assignments meeting the window, sorted as shown."""
        ...
