"""PostgresReadinessProbe: whether the database takes writes, and what a process holds, on the pool."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from adapters.postgres.db import PgPool
from adapters.postgres.errors import translate_errors

# A fresh implicit transaction: it is read-only when default_transaction_read_only is on (the
# database, role or server made read-only) or the server is a standby.
_WRITABLE = "SELECT current_setting('transaction_read_only') = 'off' AND NOT pg_is_in_recovery() AS writable"
_HELD_SINCE = """
SELECT count(*) AS n FROM assignments a
LEFT JOIN fms_operations o ON o.operation_id = a.pending_operation_id
WHERE NOT a.removed AND a.pending_held_by = $1 AND (o.started_at IS NULL OR o.started_at < $2)
"""


class PostgresReadinessProbe:
    """Two small queries on the pool."""

    def __init__(self, pool: PgPool) -> None:
        self._pool = pool

    @translate_errors("checking that the database takes writes")
    async def writable(self) -> bool:
        """True when a new transaction may write (not read-only, not a standby in recovery)."""
        return bool(await self._pool.fetchval(_WRITABLE))

    @translate_errors("counting the operations a process holds")
    async def held_since(self, holder_id: UUID, *, intent_before: datetime) -> int:
        """Live operations that holder holds whose intent was recorded before `intent_before`."""
        return int(await self._pool.fetchval(_HELD_SINCE, holder_id, intent_before))
