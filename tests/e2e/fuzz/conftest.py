"""Fixtures of the fuzz tests: one world per configuration for the module (its data builds up), and a new
app on it for each test."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from tests.e2e.fuzz.services import (
    CONFIGURATIONS,
    PG_CONFIGURATIONS,
    FuzzService,
    FuzzWorld,
    fuzz_service,
    fuzz_world,
)
from tests.pg_support import DatabaseFactory, PgTestServer


@pytest.fixture(scope="module", params=CONFIGURATIONS)
def world(request: pytest.FixtureRequest, pg_server: PgTestServer, pg_template: str) -> Iterator[FuzzWorld]:
    """One configuration's database and FMS, dropped after the module's tests."""
    databases = DatabaseFactory(pg_server, pg_template)
    try:
        with fuzz_world(request.param, databases) as built:
            yield built
    finally:
        asyncio.run(databases.drop_all())


@pytest.fixture
def fuzzed(world: FuzzWorld) -> FuzzService:
    """A new app on the world (schemathesis starts its lifespan on the first request, ends it after)."""
    return fuzz_service(world)


@pytest.fixture(scope="module", params=PG_CONFIGURATIONS)
def pg_world(
    request: pytest.FixtureRequest, pg_server: PgTestServer, pg_template: str
) -> Iterator[FuzzWorld]:
    """One PostgreSQL configuration's database and FMS (the hostile corpus reads the tables directly)."""
    databases = DatabaseFactory(pg_server, pg_template)
    try:
        with fuzz_world(request.param, databases) as built:
            yield built
    finally:
        asyncio.run(databases.drop_all())
