"""End-to-end fixtures: the real Litestar app with the sandbox FMS, on memory and on real PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from adapters.memory.fms_gateway import MemoryFmsGateway
from adapters.postgres.pool import create_pool
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.ports import UnitOfWorkFactory
from entrypoints.http.app import create_app
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.service import Settings
from entrypoints.wiring.container import build_container
from tests.e2e.world import Client, seed
from tests.pg_support import DatabaseFactory

Env = tuple[Client, MemoryFmsGateway, UnitOfWorkFactory]


@pytest.fixture(params=["memory", "postgres"])
async def app_env(request: pytest.FixtureRequest, pg_database_factory: DatabaseFactory) -> AsyncIterator[Env]:
    """A client on a fresh app, the sandbox gateway, and a unit-of-work factory on the same data.

    The app runs its own pool on the test client's loop; the test arranges and inspects state
    through a second pool of its own on the same database (pools are tied to their event loop).
    """
    if request.param == "memory":
        settings = Settings(
            storage_backend="memory", demo_data=False, fms=FmsSettings(sandbox_latency_ms=0, sandbox="memory")
        )
        container = build_container(settings)
        factory: UnitOfWorkFactory = container.uow_factory()
        gateway = container.fms_gateway()
        assert isinstance(gateway, MemoryFmsGateway)
        await seed(factory)
        async with AsyncTestClient(app=create_app(container)) as client:
            yield client, gateway, factory
        return
    dsn = await pg_database_factory()
    pool = await create_pool(dsn, min_size=1, max_size=2)
    try:
        factory = PostgresUnitOfWorkFactory(pool)
        await seed(factory)
        container = build_container(
            Settings(
                storage_backend="postgres",
                database_url=dsn,
                fms=FmsSettings(sandbox_latency_ms=0, sandbox="memory"),
            )
        )
        gateway = container.fms_gateway()
        assert isinstance(gateway, MemoryFmsGateway)
        async with AsyncTestClient(app=create_app(container)) as client:
            yield client, gateway, factory
    finally:
        await pool.close()


@pytest.fixture
def client(app_env: Env) -> Client:
    """Just the client."""
    return app_env[0]
