"""Clocks: the system clock and a settable one for tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta


class SystemClock:
    """The real time, in UTC."""

    def now(self) -> datetime:
        """Now, UTC."""
        return datetime.now(UTC)

    def today(self) -> date:
        """Today's date (UTC)."""
        return self.now().date()


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

    def advance(self, delta: timedelta) -> None:
        """Move time forward."""
        self.at += delta
