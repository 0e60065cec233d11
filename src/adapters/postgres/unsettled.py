"""PostgresUnsettledOperations: how many FMS operations are under way or unknown, straight from the table."""

from __future__ import annotations

from adapters.postgres.db import PgPool
from adapters.postgres.errors import translate_errors

_COUNTS = """
SELECT fms_state, count(*) AS n FROM assignments
WHERE NOT removed AND fms_state IN ('creating', 'deleting', 'unknown') GROUP BY fms_state
"""


class PostgresUnsettledOperations:
    """One small query on the pool; every replica reads the same truth."""

    def __init__(self, pool: PgPool) -> None:
        self._pool = pool

    @translate_errors("counting unsettled FMS operations")
    async def counts(self) -> dict[str, int]:
        """Live assignments per FMS state among creating, deleting and unknown."""
        rows = await self._pool.fetch(_COUNTS)
        return {row["fms_state"]: int(row["n"]) for row in rows}
