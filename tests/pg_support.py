"""Test helpers for PostgreSQL: one server per session, one fresh database per test.

The server is the embedded one, unless TEST_DATABASE_URL names the maintenance database of another
(a packaged PostgreSQL that CI starts, say): then every test database is created and dropped there.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from uuid import uuid4

import asyncpg

from adapters.postgres.db import PgPool
from adapters.postgres.embedded import EmbeddedPostgres
from adapters.postgres.migrations import apply_migrations
from adapters.postgres.pool import create_pool
from tests.waits import call_seconds, until

TEMPLATE_DATABASE = "ms_test_template"


class PgTestServer:
    """The session's server: TEST_DATABASE_URL's, or an embedded one in a temporary directory under
    /tmp (never under /root)."""

    def __init__(self) -> None:
        self.external = os.environ.get("TEST_DATABASE_URL", "").strip() or None
        self.data_dir: Path | None = None
        self.embedded: EmbeddedPostgres | None = None
        if self.external is None:
            self.data_dir = Path(tempfile.mkdtemp(prefix="media-scheduler-pg-", dir="/tmp"))
            self.embedded = EmbeddedPostgres.start(self.data_dir, database="postgres")

    @property
    def admin_dsn(self) -> str:
        """The dsn of the maintenance database, for CREATE and DROP DATABASE."""
        if self.external is not None:
            return self.external
        assert self.embedded is not None
        return self.embedded.dsn

    def dsn_for(self, database: str) -> str:
        """The dsn of a database on this server."""
        if self.external is not None:
            return urlunsplit(urlsplit(self.external)._replace(path=f"/{database}"))
        assert self.embedded is not None
        return self.embedded.dsn_for(database)

    def create_template(self) -> str:
        """Create the migrated template database (synchronously, on a private event loop)."""
        asyncio.run(self._create_template())
        return TEMPLATE_DATABASE

    async def _create_template(self) -> None:
        await self.execute_admin(f'DROP DATABASE IF EXISTS "{TEMPLATE_DATABASE}"')
        await self.execute_admin(f'CREATE DATABASE "{TEMPLATE_DATABASE}"')
        pool = await create_pool(self.dsn_for(TEMPLATE_DATABASE), min_size=1, max_size=1)
        try:
            await apply_migrations(pool)
        finally:
            await pool.close()  # CREATE DATABASE ... TEMPLATE needs nobody connected to the template

    async def execute_admin(self, sql: str) -> None:
        """Run one statement on the maintenance database."""
        conn = await asyncpg.connect(self.admin_dsn)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    def stop(self) -> None:
        """Stop the embedded server and delete its files (an external server is left running)."""
        if self.embedded is not None:
            self.embedded.stop()
        if self.data_dir is not None:
            shutil.rmtree(self.data_dir, ignore_errors=True)


class DatabaseFactory:
    """Creates fresh databases for one test and drops them all afterwards."""

    def __init__(self, server: PgTestServer, template: str) -> None:
        self._server = server
        self._template = template
        self._created: list[str] = []

    async def __call__(self, *, migrated: bool = True) -> str:
        """A new database: a copy of the migrated template, or empty; returns its dsn."""
        name = f"ms_test_{uuid4().hex[:16]}"
        template = self._template if migrated else "template0"
        await self._server.execute_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        self._created.append(name)
        return self._server.dsn_for(name)

    async def drop_all(self) -> None:
        """Drop every database this factory made (closing any connection still open)."""
        while self._created:
            name = self._created.pop()
            await self._server.execute_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def until_a_session_waits_on_a_lock(pool: PgPool) -> None:
    """Return once a session on the pool's database is blocked on a lock (another task of the test has
    reached the lock it must wait for); fail if none is within one call's time."""

    async def waiting() -> bool:
        async with pool.acquire() as conn:
            blocked: int = await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        return blocked > 0

    await until(waiting, within=call_seconds(), what="a session waiting on a lock")
