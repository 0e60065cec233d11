"""A client on a fresh app (memory or PostgreSQL) with the sandbox gateway, and a unit-of-work factory on
the same data: what the end-to-end fixtures yield."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dependency_injector import providers
from litestar.testing import AsyncTestClient

from adapters.memory.fms_gateway import MemoryFmsGateway
from adapters.postgres.pool import create_pool
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.ports import Clock, UnitOfWorkFactory
from entrypoints.http.app import create_app
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.security import SecuritySettings
from entrypoints.settings.service import Settings
from entrypoints.wiring.container import build_container
from tests.e2e.world import Client, seed
from tests.pg_support import DatabaseFactory

Env = tuple[Client, MemoryFmsGateway, UnitOfWorkFactory]


async def open_env(
    backend: str,
    pg_database_factory: DatabaseFactory,
    *,
    security: SecuritySettings | None = None,
    fms: FmsSettings | None = None,
    clock: Clock | None = None,
) -> AsyncIterator[Env]:
    """The app on `backend` with the in-memory sandbox FMS, seeded (other FMS settings, e.g. without
    lookups, and a clock the test moves, when given).

    On PostgreSQL the app runs its own pool on the test client's loop; the test arranges and inspects
    state through a second pool of its own on the same database (pools are tied to their event loop).
    """
    dsn = await pg_database_factory() if backend == "postgres" else None
    settings = Settings(
        storage_backend=backend,
        database_url=dsn,
        demo_data=False,
        fms=fms or FmsSettings(sandbox_latency_ms=0, sandbox="memory"),
        security=security or SecuritySettings(),
    )
    container = build_container(settings)
    if clock is not None:
        container.clock.override(providers.Object(clock))
    gateway = container.fms_gateway()
    assert isinstance(gateway, MemoryFmsGateway)
    if dsn is None:
        factory: UnitOfWorkFactory = container.uow_factory()
        await seed(factory)
        async with AsyncTestClient(app=create_app(container)) as client:
            yield client, gateway, factory
        return
    pool = await create_pool(dsn, min_size=1, max_size=2)
    try:
        factory = PostgresUnitOfWorkFactory(pool)
        await seed(factory)
        async with AsyncTestClient(app=create_app(container)) as client:
            yield client, gateway, factory
    finally:
        await pool.close()
