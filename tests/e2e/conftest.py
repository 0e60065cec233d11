"""End-to-end fixtures: the real Litestar app on the memory backend with the sandbox FMS."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from adapters.memory.fms_gateway import MemoryFmsGateway
from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from entrypoints.config import Settings
from entrypoints.container import build_container
from entrypoints.http.app import create_app
from tests.e2e.world import seed


@pytest.fixture
async def app_env() -> AsyncIterator[tuple[AsyncTestClient, MemoryFmsGateway, MemoryUnitOfWorkFactory]]:
    """A client on a fresh app, the sandbox gateway and the store behind it."""
    settings = Settings(storage_backend="memory", fms_sandbox_latency_ms=0, demo_data=False)
    container = build_container(settings)
    factory = container.uow_factory()
    gateway = container.fms_gateway()
    assert isinstance(factory, MemoryUnitOfWorkFactory)
    assert isinstance(gateway, MemoryFmsGateway)
    await seed(factory)
    async with AsyncTestClient(app=create_app(container)) as client:
        yield client, gateway, factory


@pytest.fixture
def client(app_env: tuple[AsyncTestClient, MemoryFmsGateway, MemoryUnitOfWorkFactory]) -> AsyncTestClient:
    """Just the client."""
    return app_env[0]
