"""Schema migrations: numbered .sql files applied in order, once, under a database-wide lock.

Each file NNNN_name.sql runs in its own transaction together with its row in schema_migrations, so a
failed migration leaves no trace. A session advisory lock makes concurrent starts (several processes or
replicas) safe: the first applies, the others wait and then find nothing left to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from adapters.postgres.db import PgConnection, PgPool
from adapters.postgres.errors import storage_errors

# An arbitrary application-wide key ("ms-migr"); lock_vehicles uses the two-int key space, which
# never overlaps the bigint one.
MIGRATION_LOCK_KEY = 0x6D732D6D696772
MIGRATION_FILE = re.compile(r"(?P<version>\d{4})_(?P<name>\w+)\.sql")

CREATE_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    text PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""


@dataclass(frozen=True)
class Migration:
    """One numbered schema change."""

    version: str
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    """Every migration shipped with the package, in version order."""
    folder = resources.files("adapters.postgres").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        match = MIGRATION_FILE.fullmatch(entry.name)
        if match:
            found.append(Migration(match["version"], match["name"], entry.read_text(encoding="utf-8")))
    if not found:
        raise RuntimeError(
            "no schema migrations found in adapters/postgres/migrations: the package was installed "
            "without its .sql files (package data)"
        )
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a version number: {sorted(versions)}")
    return sorted(found, key=lambda m: m.version)


async def _apply_pending(conn: PgConnection, migrations: list[Migration]) -> list[str]:
    await conn.execute(CREATE_LEDGER)
    done = {row["version"] for row in await conn.fetch("SELECT version FROM schema_migrations")}
    applied = []
    for migration in migrations:
        if migration.version in done:
            continue
        async with conn.transaction():
            await conn.execute(migration.sql)
            await conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                migration.version,
                migration.name,
            )
        applied.append(migration.version)
    return applied


async def apply_migrations(pool: PgPool) -> list[str]:
    """Apply the migrations the database lacks, in order; return the versions applied this time."""
    migrations = available_migrations()
    with storage_errors("applying schema migrations"):
        async with pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_KEY)
            try:
                return await _apply_pending(conn, migrations)
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK_KEY)
