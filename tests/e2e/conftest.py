"""End-to-end fixtures: the real Litestar app with the sandbox FMS, on memory and on real PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.e2e.app_env import Env, open_env
from tests.e2e.world import Client
from tests.pg_support import DatabaseFactory

__all__ = ["Env"]


@pytest.fixture(params=["memory", "postgres"])
async def app_env(request: pytest.FixtureRequest, pg_database_factory: DatabaseFactory) -> AsyncIterator[Env]:
    """A client on a fresh app, the sandbox gateway, and a unit-of-work factory on the same data.

    The app runs its own pool on the test client's loop; the test arranges and inspects state
    through a second pool of its own on the same database (pools are tied to their event loop).
    """
    async for opened in open_env(request.param, pg_database_factory):
        yield opened


@pytest.fixture
def client(app_env: Env) -> Client:
    """Just the client."""
    return app_env[0]
