"""The asyncpg connection pool, opened with connection failures translated into StorageUnavailable."""

from __future__ import annotations

import asyncpg

from adapters.postgres.db import PgPool
from adapters.postgres.errors import DRIVER_ERRORS, describe, redact_dsn, without_secret
from application.port_errors import StorageUnavailable

APPLICATION_NAME = "media-scheduler"
# ValueError: a malformed DSN.
# Plans made with each call's values: asyncpg prepares every statement, and after five runs PostgreSQL
# may switch to one generic plan, blind to the values; for the calendar's one-statement read that plan
# nests loops over its CTEs (22 ms instead of 8 at a busy office, docs/benchmarks.md).
SERVER_SETTINGS = {"application_name": APPLICATION_NAME, "plan_cache_mode": "force_custom_plan"}
CONNECT_ERRORS: tuple[type[BaseException], ...] = (*DRIVER_ERRORS, ValueError)


async def create_pool(dsn: str, *, min_size: int = 1, max_size: int = 10) -> PgPool:
    """Open a pool on dsn; StorageUnavailable (never showing a password) when the database is unreachable."""
    try:
        pool = await asyncpg.create_pool(
            dsn,
            min_size=min_size,
            max_size=max_size,
            server_settings=SERVER_SETTINGS,
        )
    except CONNECT_ERRORS as error:
        reason = without_secret(describe(error), dsn)
        raise StorageUnavailable(f"cannot connect to PostgreSQL at {redact_dsn(dsn)}: {reason}") from error
    return pool
