"""The asyncpg connection pool, opened with connection failures translated into StorageUnavailable.

A connection back from a unit of work (or one single statement) ran only transactions that ended:
nothing of its session needs resetting, so the pool skips the reset query's round trip for it. Every
other use (session advisory locks of the worker lock, migrations, sync runs) gets the full reset.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import asyncpg

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
) -> PgPool:
    """Open a pool on dsn; StorageUnavailable (never showing a password) when the database is unreachable."""
    try:
        pool = await asyncpg.create_pool(
            dsn,
            min_size=min_size,
            max_size=max_size,
            init=init,
            reset=reset_session,
            connection_class=ServiceConnection,
            server_settings=SERVER_SETTINGS,
            timeout=CONNECT_TIMEOUT_SECONDS,
        )
    except CONNECT_ERRORS as error:
        reason = without_secret(describe(error), dsn)
        raise StorageUnavailable(f"cannot connect to PostgreSQL at {redact_dsn(dsn)}: {reason}") from error
    return pool
