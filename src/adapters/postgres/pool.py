"""The asyncpg connection pool, opened with connection failures translated into StorageUnavailable."""

from __future__ import annotations

import asyncpg

from adapters.postgres.db import PgPool
from adapters.postgres.errors import DRIVER_ERRORS, describe, redact_dsn, without_secret
from application.port_errors import StorageUnavailable

APPLICATION_NAME = "media-scheduler"
# ValueError: a malformed DSN.
CONNECT_ERRORS: tuple[type[BaseException], ...] = (*DRIVER_ERRORS, ValueError)


async def create_pool(dsn: str, *, min_size: int = 1, max_size: int = 10) -> PgPool:
    """Open a pool on dsn; StorageUnavailable (never showing a password) when the database is unreachable."""
    try:
        pool = await asyncpg.create_pool(
            dsn,
            min_size=min_size,
            max_size=max_size,
            server_settings={"application_name": APPLICATION_NAME},
        )
    except CONNECT_ERRORS as error:
        reason = without_secret(describe(error), dsn)
        raise StorageUnavailable(f"cannot connect to PostgreSQL at {redact_dsn(dsn)}: {reason}") from error
    return pool
