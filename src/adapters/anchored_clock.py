"""AnchoredClock: another clock's time (the database's), read now and then and carried forward in between.

Reading the database's time on every call would cost a round trip each time. Instead the clock is
anchored on it (at start and at each heartbeat) and carried forward by this process's monotonic
clock: a process whose own wall clock is wrong, or jumps, reads the database's time all the same,
within half a round trip and the monotonic clock's drift since the last anchor.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta


class AnchoredClock:
    """The Clock port on another clock's time, anchored by anchor() and carried forward in between."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.monotonic = monotonic
        self._anchor: tuple[datetime, float] | None = None

    def anchor(self, source_now: datetime, *, asked_at: float, answered_at: float) -> None:
        """The source said source_now, asked and answered at these monotonic readings."""
        self._anchor = (source_now.astimezone(UTC), (asked_at + answered_at) / 2)

    def now(self) -> datetime:
        """The source's time now; the system's until the first anchor (the service anchors at start)."""
        if self._anchor is None:
            return datetime.now(UTC)
        at, anchored = self._anchor
        return at + timedelta(seconds=self.monotonic() - anchored)

    def today(self) -> date:
        """The source's date (UTC)."""
        return self.now().date()
