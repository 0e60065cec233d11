"""Build a replacement of a table beside it, then swap the two in one short transaction.

The replacement is created LIKE the live table (columns, defaults, CHECK constraints) without indexes,
filled by COPY, indexed afterwards with the live table's own index definitions (much faster than
maintaining them row by row), and renamed into place: readers see the old rows until the swap
commits, then the new ones; never an empty or half-loaded table. Names of indexes and constraints are
restored, so later migrations find them where they expect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from adapters.postgres.db import PgConnection

SUFFIX = "__sync"
LINE_COLUMN = "sync_line"
_INDEX_DEF = re.compile(r"CREATE (?P<unique>UNIQUE )?INDEX (?P<name>\S+) ON (?P<on>\S+) (?P<rest>USING .*)")
_INDEXES = """
SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition, c.conname AS constraint_name,
       c.contype::text AS constraint_type
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid
WHERE x.indrelid = $1::regclass
ORDER BY x.indisprimary DESC, i.relname
"""


def quoted(name: str) -> str:
    """A name as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def temporary(name: str) -> str:
    """The name an index or constraint has on the replacement table until the swap."""
    return name[: 63 - len(SUFFIX)] + SUFFIX


@dataclass(frozen=True)
class IndexPlan:
    """One index of the live table and how to build it again on the replacement."""

    name: str
    create: str  # CREATE INDEX on the replacement, under the temporary name
    constraint: str | None  # the PRIMARY KEY or UNIQUE constraint the index backs
    constraint_type: str | None


async def index_plans(conn: PgConnection, table: str, replacement: str) -> list[IndexPlan]:
    """How to rebuild every index of table on replacement (primary key first)."""
    plans = []
    for row in await conn.fetch(_INDEXES, table):
        match = _INDEX_DEF.fullmatch(row["definition"])
        if match is None:
            raise RuntimeError(f"cannot rebuild index {row['name']}: {row['definition']}")
        unique, name = match["unique"] or "", quoted(temporary(row["name"]))
        create = f"CREATE {unique}INDEX {name} ON {quoted(replacement)} {match['rest']}"
        kind = row["constraint_type"] if row["constraint_type"] in ("p", "u") else None
        plans.append(IndexPlan(row["name"], create, row["constraint_name"] if kind else None, kind))
    return plans


async def create_replacement(conn: PgConnection, table: str, replacement: str) -> None:
    """An empty copy of table's columns, defaults and checks (no indexes), with a column for line numbers."""
    await conn.execute(
        f"DROP TABLE IF EXISTS {quoted(replacement)}; "
        f"CREATE TABLE {quoted(replacement)} (LIKE {quoted(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
        f"INCLUDING GENERATED INCLUDING IDENTITY INCLUDING STORAGE INCLUDING COMPRESSION); "
        f"ALTER TABLE {quoted(replacement)} ADD COLUMN {LINE_COLUMN} integer"
    )


async def build_indexes(conn: PgConnection, plans: list[IndexPlan], replacement: str) -> None:
    """Create the indexes (and their constraints) on the filled replacement; unique ones may fail."""
    async with conn.transaction():
        await conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for plan in plans:
            await conn.execute(plan.create)
            if plan.constraint is not None:
                kind = "PRIMARY KEY" if plan.constraint_type == "p" else "UNIQUE"
                temp = quoted(temporary(plan.name))
                await conn.execute(
                    f"ALTER TABLE {quoted(replacement)} ADD CONSTRAINT {temp} {kind} USING INDEX {temp}"
                )


async def swap(conn: PgConnection, table: str, replacement: str, plans: list[IndexPlan]) -> None:
    """Inside the caller's transaction: drop table, rename replacement (and its indexes) into place."""
    await conn.execute(f"LOCK TABLE {quoted(table)} IN ACCESS EXCLUSIVE MODE")
    await conn.execute(f"DROP TABLE {quoted(table)}")
    await conn.execute(f"ALTER TABLE {quoted(replacement)} RENAME TO {quoted(table)}")
    for plan in plans:
        temp = quoted(temporary(plan.name))
        if plan.constraint is not None:
            constraint = quoted(plan.constraint)
            await conn.execute(f"ALTER TABLE {quoted(table)} RENAME CONSTRAINT {temp} TO {constraint}")
        else:
            await conn.execute(f"ALTER INDEX {temp} RENAME TO {quoted(plan.name)}")
