"""Type names for the asyncpg objects the Postgres adapters pass around."""

from __future__ import annotations

from typing import Any, Protocol, TypeAlias

from asyncpg import Record
from asyncpg.pool import Pool, PoolConnectionProxy

PgPool: TypeAlias = "Pool[Record]"
PgConnection: TypeAlias = "PoolConnectionProxy[Record]"


class Row(Protocol):
    """What a row mapper reads: a column by name (an asyncpg Record, or a dict built from arrays)."""

    def __getitem__(self, column: str, /) -> Any:
        """The column's value."""
        ...


def affected_rows(status: str) -> int:
    """The row count of a command status such as 'UPDATE 3'."""
    return int(status.rsplit(" ", 1)[-1])


__all__ = ["PgConnection", "PgPool", "Record", "Row", "affected_rows"]
