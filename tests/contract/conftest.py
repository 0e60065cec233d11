"""The adapters the contract suites run against, each wrapped in a Harness."""

from __future__ import annotations

import pytest

from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from adapters.postgres.db import PgPool
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from tests.contract.harness import Harness


@pytest.fixture
def memory_harness() -> Harness:
    """The memory adapters over a fresh store."""
    factory = MemoryUnitOfWorkFactory()

    async def count_assignments() -> int:
        return len(factory.store.tables.assignments)

    async def count_operations() -> int:
        return len(factory.store.tables.operations)

    return Harness(factory, count_assignments, count_operations)


@pytest.fixture
def postgres_harness(pg_pool: PgPool) -> Harness:
    """The Postgres adapters over a fresh, migrated database."""

    async def count(table: str) -> int:
        async with pg_pool.acquire() as conn:
            return int(await conn.fetchval(f"SELECT count(*) FROM {table}"))

    async def count_assignments() -> int:
        return await count("assignments")

    async def count_operations() -> int:
        return await count("fms_operations")

    return Harness(PostgresUnitOfWorkFactory(pg_pool), count_assignments, count_operations)
