"""PostgresReportLoader: COPY a report into a replacement table, check it, swap it into place."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress
from typing import Any

import asyncpg

from adapters.postgres.db import PgConnection, PgPool
from adapters.postgres.errors import DRIVER_ERRORS, storage_errors
from adapters.postgres.table_swap import (
    LINE_COLUMN,
    SUFFIX,
    IndexPlan,
    build_indexes,
    create_replacement,
    index_plans,
    quoted,
    swap,
)
from application.sync.records import BadRow, ReportName
from application.sync.specs import ReportSpec

LOCK_TIMEOUT = "30s"  # how long the swap may wait for readers of the old table
_OFFICES = """
WITH found AS (SELECT office FROM vehicles UNION SELECT office FROM media_partners)
, upserted AS (
    INSERT INTO offices (name, active) SELECT office, true FROM found
    ON CONFLICT (name) DO UPDATE SET active = true WHERE NOT offices.active
)
UPDATE offices SET active = false WHERE active AND name NOT IN (SELECT office FROM found)
"""


async def _rows(batches: AsyncIterable[Sequence[tuple[Any, ...]]]) -> AsyncIterator[tuple[Any, ...]]:
    async for batch in batches:
        for record in batch:
            yield record


class PostgresReportStaging:
    """One report's replacement table, on one connection held for the whole load."""

    def __init__(self, conn: PgConnection, spec: ReportSpec) -> None:
        self._conn = conn
        self._spec = spec
        self._table = spec.table
        self.replacement = spec.table + SUFFIX
        self._plans: list[IndexPlan] = []

    async def prepare(self) -> None:
        """Create the empty replacement table and plan its indexes."""
        with storage_errors(f"preparing to load {self._table}"):
            await create_replacement(self._conn, self._table, self.replacement)
            self._plans = await index_plans(self._conn, self._table, self.replacement)

    async def write(self, batches: AsyncIterable[Sequence[tuple[Any, ...]]]) -> int:
        """COPY the records (values then line number) into the replacement, streaming."""
        columns = [*self._spec.columns, LINE_COLUMN]
        with storage_errors(f"copying rows into {self._table}"):
            status = await self._conn.copy_records_to_table(
                self.replacement, records=_rows(batches), columns=columns
            )
        return int(status.rsplit(" ", 1)[-1])

    async def drop_duplicates(self, keep: int) -> tuple[int, list[BadRow]]:
        """Build the indexes; when the key's unique index finds duplicates, drop the later rows first."""
        with storage_errors(f"indexing {self._table}"):
            try:
                await build_indexes(self._conn, self._plans, self.replacement)
                return 0, []
            except asyncpg.UniqueViolationError:
                pass
            dropped, lines = await self._delete_duplicates(keep)
            await build_indexes(self._conn, self._plans, self.replacement)
        return dropped, lines

    async def _delete_duplicates(self, keep: int) -> tuple[int, list[BadRow]]:
        key = ", ".join(quoted(c) for c in self._spec.key)
        table = quoted(self.replacement)
        later = (
            f"SELECT ctid, {LINE_COLUMN}, {key}, min({LINE_COLUMN}) OVER (PARTITION BY {key}) AS first_line "
            f"FROM {table}"
        )
        rows = await self._conn.fetch(
            f"SELECT * FROM ({later}) d WHERE {LINE_COLUMN} <> first_line ORDER BY {LINE_COLUMN} LIMIT $1",
            keep,
        )
        status = await self._conn.execute(
            f"DELETE FROM {table} t USING ({later}) d "
            f"WHERE t.ctid = d.ctid AND d.{LINE_COLUMN} <> d.first_line"
        )
        shown = [
            BadRow(
                row[LINE_COLUMN],
                "duplicate key ("
                + ", ".join(f"{c} {row[c]}" for c in self._spec.key)
                + f"): the row on line {row['first_line']} is kept",
            )
            for row in rows
        ]
        return int(status.rsplit(" ", 1)[-1]), shown

    async def current_rows(self) -> int:
        """Rows in the live table."""
        with storage_errors(f"counting {self._table}"):
            return int(await self._conn.fetchval(f"SELECT count(*) FROM {quoted(self._table)}"))

    async def publish(self) -> int:
        """Swap the replacement in (offices re-derived after vehicles or partners), in one transaction."""
        replacement = quoted(self.replacement)
        with storage_errors(f"publishing {self._table}"):
            await self._conn.execute(
                f"ALTER TABLE {replacement} DROP COLUMN {LINE_COLUMN}; ANALYZE {replacement}"
            )
            async with self._conn.transaction():
                await self._conn.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                await swap(self._conn, self._table, self.replacement, self._plans)
                if self._spec.name in (ReportName.VEHICLES, ReportName.MEDIA_PARTNERS):
                    await self._conn.execute(_OFFICES)
                return int(await self._conn.fetchval(f"SELECT count(*) FROM {quoted(self._table)}"))

    async def discard(self) -> None:
        """Drop the replacement if it is still there."""
        with suppress(*DRIVER_ERRORS):
            await self._conn.execute(f"DROP TABLE IF EXISTS {quoted(self.replacement)}")


class PostgresReportLoader:
    """Loads reports into their tables on a pool."""

    def __init__(self, pool: PgPool) -> None:
        self._pool = pool

    @asynccontextmanager
    async def staging(self, spec: ReportSpec) -> AsyncIterator[PostgresReportStaging]:
        """A replacement table for one report, dropped when the block ends unless published."""
        with storage_errors("acquiring a connection"):
            conn = await self._pool.acquire()
        try:
            staging = PostgresReportStaging(conn, spec)
            await staging.prepare()
            try:
                yield staging
            finally:
                await staging.discard()
        finally:
            with suppress(*DRIVER_ERRORS):
                await self._pool.release(conn)

    async def row_count(self, report: ReportName) -> int:
        """Rows now in the report's table."""
        with storage_errors(f"counting {report}"):
            async with self._pool.acquire() as conn:
                return int(await conn.fetchval(f"SELECT count(*) FROM {quoted(report.value)}"))
