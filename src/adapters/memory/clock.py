"""A clock that only moves when told to (tests and benchmarks; the real one is adapters/system_clock.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta


class FixedClock:
    """A clock that only moves when told to."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        """The set time."""
        return self.at

    def today(self) -> date:
        """The set date."""
        return self.at.date()

    async def sync(self) -> None:
        """Nothing to read: this clock is the memory store's."""

    def advance(self, delta: timedelta) -> None:
        """Move time forward."""
        self.at += delta
