"""PostgresWorkerLock: a session advisory lock, so one worker runs at a time across every replica."""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from adapters.postgres.db import PgPool
from adapters.postgres.errors import storage_errors

WORKER_LOCK_SPACE = 0x574B52  # "WKR"


class PostgresWorkerLock:
    """pg_try_advisory_lock on a connection held for the block (a dead process frees it with its session)."""

    def __init__(self, pool: PgPool) -> None:
        self._pool = pool

    @asynccontextmanager
    async def hold(self, name: str) -> AsyncIterator[bool]:
        """Yield True while holding the named lock, or False at once when another session holds it."""
        key = zlib.crc32(name.encode()) & 0x7FFFFFFF
        with storage_errors("taking a worker lock"):
            conn = await self._pool.acquire()
        try:
            with storage_errors("taking a worker lock"):
                acquired = bool(
                    await conn.fetchval("SELECT pg_try_advisory_lock($1, $2)", WORKER_LOCK_SPACE, key)
                )
            if not acquired:
                yield False
                return
            try:
                yield True
            finally:
                with storage_errors("releasing a worker lock"):
                    await conn.execute("SELECT pg_advisory_unlock($1, $2)", WORKER_LOCK_SPACE, key)
        finally:
            await self._pool.release(conn)
