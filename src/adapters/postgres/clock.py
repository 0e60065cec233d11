"""PostgresClock: the Clock port on the database's time, the one clock every process shares.

Leases, quiet times and takeovers are compared between processes, so they must all read one clock:
PostgreSQL's. Reading it on every call would cost a round trip each time; instead the clock is
anchored on the database's time (at start and at each heartbeat) and carried forward by this
process's monotonic clock. A process whose own wall clock is wrong, or jumps, reads the database's
time all the same, within half a round trip and the monotonic clock's drift since the last anchor.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from adapters.postgres.db import PgPool
from adapters.postgres.errors import translate_errors


class PostgresClock:
    """The database's time, anchored by sync() and carried forward by the monotonic clock."""

    def __init__(self, pool: PgPool, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._pool = pool
        self._monotonic = monotonic
        self._anchor: tuple[datetime, float] | None = None

    @translate_errors("reading the database's time")
    async def sync(self) -> None:
        """Anchor on the database's time now (StorageUnavailable when it does not answer)."""
        sent = self._monotonic()
        database_now: datetime = await self._pool.fetchval("SELECT clock_timestamp()")
        received = self._monotonic()
        self._anchor = (database_now.astimezone(UTC), (sent + received) / 2)

    def now(self) -> datetime:
        """The database's time now; the system's until the first sync (the service syncs at start)."""
        if self._anchor is None:
            return datetime.now(UTC)
        at, anchored = self._anchor
        return at + timedelta(seconds=self._monotonic() - anchored)

    def today(self) -> date:
        """The database's date (UTC)."""
        return self.now().date()
