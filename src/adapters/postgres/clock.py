"""PostgresClock: the Clock port on the database's time, the one clock every process shares.

Leases, quiet times and takeovers are compared between processes, so they must all read one clock:
PostgreSQL's. It is read at start and at each heartbeat, and carried forward in between by this
process's monotonic clock (adapters/anchored_clock.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from adapters.anchored_clock import AnchoredClock
from adapters.postgres.db import PgPool
from adapters.postgres.errors import translate_errors


class PostgresClock(AnchoredClock):
    """The database's time, anchored by sync()."""

    def __init__(self, pool: PgPool, monotonic: Callable[[], float] = time.monotonic) -> None:
        super().__init__(monotonic)
        self._pool = pool

    @translate_errors("reading the database's time")
    async def sync(self) -> None:
        """Anchor on the database's time now (StorageUnavailable when it does not answer)."""
        asked = self.monotonic()
        database_now: datetime = await self._pool.fetchval("SELECT clock_timestamp()")
        self.anchor(database_now, asked_at=asked, answered_at=self.monotonic())
