"""The system clock: the Clock port on the real time."""

from __future__ import annotations

from datetime import UTC, date, datetime


class SystemClock:
    """The real time, in UTC."""

    def now(self) -> datetime:
        """Now, UTC."""
        return datetime.now(UTC)

    def today(self) -> date:
        """Today's date (UTC)."""
        return self.now().date()

    async def sync(self) -> None:
        """Nothing to do: with the memory store, the system's clock is the database's."""
