"""The asyncpg connection pool, opened with connection failures translated into StorageUnavailable.

A connection back from a unit of work (or one single statement) ran only transactions that ended:
nothing of its session needs resetting, so the pool skips the reset query's round trip for it. Every
other use (session advisory locks of the worker lock, migrations, sync runs) gets the full reset.

Every acquire waits at most the pool's acquire timeout (DB_POOL_TIMEOUT_SECONDS): an exhausted pool
answers TimeoutError, which storage_errors turns into StorageUnavailable (503), instead of a wait with
no end.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

import asyncpg
from asyncpg.pool import PoolAcquireContext

from adapters.postgres.db import PgPool
from adapters.postgres.errors import DRIVER_ERRORS, describe, redact_dsn, without_secret
from application.port_errors import StorageUnavailable

APPLICATION_NAME = "media-scheduler"
# PostgreSQL's own choice of plan (auto): asyncpg prepares every statement, and forcing a custom plan
# made every call plan again, which at demo size cost more than the calendar read itself; that read
# names only the filters it has instead, so its generic plan is good (docs/benchmarks.md).
SERVER_SETTINGS = {"application_name": APPLICATION_NAME}
CONNECT_TIMEOUT_SECONDS = 60.0  # asyncpg's default, named: the longest opening the pool may take
# ValueError: a malformed DSN.
CONNECT_ERRORS: tuple[type[BaseException], ...] = (*DRIVER_ERRORS, ValueError)
ACQUIRE_TIMEOUT_SECONDS = 10.0  # DB_POOL_TIMEOUT_SECONDS' default

if TYPE_CHECKING:
    _Pool = asyncpg.Pool[asyncpg.Record]
else:
    _Pool = asyncpg.Pool  # generic in the stubs only


class ServicePool(_Pool):
    """An asyncpg pool whose acquire() waits at most `acquire_timeout` seconds unless told otherwise."""

    __slots__ = ("acquire_timeout",)

    def __init__(self, *args: Any, acquire_timeout: float, **kwargs: Any) -> None:
        self.acquire_timeout = acquire_timeout
        super().__init__(*args, **kwargs)

    def acquire(self, *, timeout: float | None = None) -> PoolAcquireContext[asyncpg.Record]:
        """A connection, or TimeoutError once the timeout (the pool's by default) has passed."""
        return super().acquire(timeout=self.acquire_timeout if timeout is None else timeout)


class ServiceConnection(asyncpg.Connection):
    """A connection that can say its session holds nothing to reset since it was last released."""

    __slots__ = ("_transactions_only",)

    def ran_transactions_only(self) -> None:
        """Only transactions that ended ran on it since its last release: the next reset is a no-op."""
        self._transactions_only = True

    def take_transactions_only(self) -> bool:
        """Whether ran_transactions_only() was said since the last reset (and forget it)."""
        clean = getattr(self, "_transactions_only", False)
        self._transactions_only = False
        return bool(clean)


def ran_transactions_only(conn: Any) -> None:
    """Mark a pooled connection (a proxy or a connection) as holding no session state, when it can be."""
    mark = getattr(conn, "ran_transactions_only", None)
    if mark is not None:
        mark()


async def reset_session(conn: Any) -> None:
    """The pool's reset: asyncpg has already rolled back any open transaction; the reset query unless
    the connection ran only transactions since its last release."""
    take = getattr(conn, "take_transactions_only", None)
    if take is not None and take():
        return
    query = conn.get_reset_query()
    if query:
        await conn.execute(query)


async def create_pool(
    dsn: str,
    *,
    min_size: int = 1,
    max_size: int = 10,
    init: Callable[[Any], Coroutine[Any, Any, None]] | None = None,
    acquire_timeout: float = ACQUIRE_TIMEOUT_SECONDS,
) -> PgPool:
    """Open a pool on dsn; StorageUnavailable (never showing a password) when the database is unreachable."""
    try:
        # asyncpg.create_pool's own defaults, with the pool class that bounds every acquire.
        pool = await ServicePool(
            dsn,
            acquire_timeout=acquire_timeout,
            init_size=None,
            min_size=min_size,
            max_size=max_size,
            max_queries=50_000,
            max_inactive_connection_lifetime=300.0,
            connect=None,
            setup=None,
            init=init,
            reset=reset_session,
            loop=None,
            connection_class=ServiceConnection,
            record_class=asyncpg.Record,
            server_settings=SERVER_SETTINGS,
            timeout=CONNECT_TIMEOUT_SECONDS,
        )
    except CONNECT_ERRORS as error:
        reason = without_secret(describe(error), dsn)
        raise StorageUnavailable(f"cannot connect to PostgreSQL at {redact_dsn(dsn)}: {reason}") from error
    return pool
