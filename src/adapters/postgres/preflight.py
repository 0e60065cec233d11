"""What a start-up checks of an external PostgreSQL before serving: reachable, writable for this user,
and a statement_timeout the service's statements fit in. Each finding is a port error, never a
driver exception: the command line turns it into one clear line and an exit code."""

from __future__ import annotations

import asyncpg

from application.port_errors import PortError, StorageUnavailable

# The longest statement the service runs by design: waiting for a peer's migrations (under the
# migration lock) and storing a bulk batch's outcomes. Below this, they fail under load.
MIN_STATEMENT_TIMEOUT_MS = 5000
PREFLIGHT_CONNECT_SECONDS = 10.0

_FACTS = """
SELECT current_setting('transaction_read_only') = 'on' AS read_only,
       pg_is_in_recovery() AS standby,
       (SELECT setting::bigint FROM pg_settings WHERE name = 'statement_timeout') AS statement_timeout_ms,
       CASE WHEN to_regclass('assignments') IS NULL
            THEN has_schema_privilege(current_schema(), 'CREATE')
            ELSE has_table_privilege('assignments', 'INSERT, UPDATE') END AS may_write
"""


class DatabaseReadOnly(PortError):
    """The database, or this user, cannot write (read-only, a standby, or without write privileges)."""


class StatementTimeoutTooShort(PortError):
    """The session's statement_timeout is shorter than the service's longest statement."""


async def preflight(dsn: str) -> None:
    """Raise StorageUnavailable, DatabaseReadOnly or StatementTimeoutTooShort; None when fit to serve."""
    try:
        conn = await asyncpg.connect(dsn, timeout=PREFLIGHT_CONNECT_SECONDS)
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        raise StorageUnavailable(f"cannot connect to DATABASE_URL: {type(exc).__name__}: {exc}") from None
    try:
        facts = await conn.fetchrow(_FACTS)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        raise StorageUnavailable(f"the database answered with an error: {exc}") from None
    finally:
        await conn.close()
    assert facts is not None
    if facts["read_only"] or facts["standby"]:
        why = "a standby in recovery" if facts["standby"] else "read-only (default_transaction_read_only)"
        raise DatabaseReadOnly(f"the database is {why} for this user: the service must write")
    if not facts["may_write"]:
        raise DatabaseReadOnly("this database user may not write the service's tables (grant INSERT, UPDATE)")
    timeout = int(facts["statement_timeout_ms"])
    if 0 < timeout < MIN_STATEMENT_TIMEOUT_MS:
        raise StatementTimeoutTooShort(
            f"statement_timeout is {timeout} ms for this user: at least {MIN_STATEMENT_TIMEOUT_MS} ms "
            "(or 0, none) is needed"
        )
