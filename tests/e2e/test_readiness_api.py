"""GET /healthz/ready: ready only while the database takes writes and confirmed this process's lease
recently (issue 21, item 8); /healthz (liveness) stays as it is. On memory and on real PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlparse

import asyncpg
import pytest

from adapters.postgres.pool import CONNECT_TIMEOUT_SECONDS
from entrypoints.settings.service import RecoverySettings
from tests.e2e.app_env import Env, open_env
from tests.e2e.world import Client
from tests.pg_support import DatabaseFactory
from tests.waits import until

READY = "/healthz/ready"
# The first heartbeat runs as the app starts; the lease is confirmed within one renewal at most.
CONFIRMED_WITHIN = RecoverySettings().stale_after_seconds / 4 + CONNECT_TIMEOUT_SECONDS


class ReadOnly:
    """Makes the test's own database read-only for every session (its existing ones are ended, so
    that the app's pool reconnects under the new default), and writable again."""

    def __init__(self, dsn: str) -> None:
        self.dsn, self.name = dsn, urlparse(dsn).path.lstrip("/")

    async def set(self, on: bool) -> None:
        conn = await asyncpg.connect(self.dsn)
        try:
            await conn.execute("SET default_transaction_read_only = off")  # this session may write
            await conn.execute(
                f'ALTER DATABASE "{self.name}" SET default_transaction_read_only = {"on" if on else "off"}'
            )
            await conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = $1 AND pid <> pg_backend_pid()",
                self.name,
            )
        finally:
            await conn.close()


@pytest.fixture(params=["memory", "postgres"])
async def env(request: pytest.FixtureRequest, pg_database_factory: DatabaseFactory) -> AsyncIterator[Env]:
    """The app on either storage."""
    async for opened in open_env(request.param, pg_database_factory):
        yield opened


async def probe(client: Client, seen: dict[str, Any]) -> int:
    r = await client.get(READY)
    seen.clear()
    seen.update(r.json())
    return r.status_code


async def test_a_healthy_service_is_ready_and_says_why(env: Env) -> None:
    client = env[0]
    seen: dict[str, Any] = {}

    async def ready() -> bool:
        return await probe(client, seen) == 200

    await until(ready, within=CONFIRMED_WITHIN, what="the lease confirmed")
    assert (seen["status"], seen["writable"], seen["held_without_call"]) == ("ready", True, 0)
    assert seen["lease_age_seconds"] >= 0
    assert "reasons" not in seen
    assert (await client.get("/healthz")).json() == {"status": "ok"}


async def test_a_read_only_database_is_not_ready_while_liveness_stays_ok(
    pg_database_factory: DatabaseFactory,
) -> None:
    dsn_seen: list[str] = []

    async def factory(*, migrated: bool = True) -> str:
        dsn = await pg_database_factory(migrated=migrated)
        dsn_seen.append(dsn)
        return dsn

    async for client, _, _ in open_env("postgres", factory):  # type: ignore[arg-type]
        await _read_only_spell(client, ReadOnly(dsn_seen[0]))


async def _read_only_spell(client: Client, switch: ReadOnly) -> None:
    seen: dict[str, Any] = {}

    async def ready() -> bool:
        return await probe(client, seen) == 200

    async def read_only() -> bool:
        return await probe(client, seen) == 503 and seen.get("writable") is False

    await until(ready, within=CONFIRMED_WITHIN, what="the lease confirmed")
    await switch.set(True)
    try:
        await until(read_only, within=CONNECT_TIMEOUT_SECONDS * 2, what="read-only seen")
        assert seen["status"] == "not_ready"
        assert any("read-only" in reason for reason in seen["reasons"])
        assert (await client.get("/healthz")).status_code == 200
    finally:
        await switch.set(False)
    await until(ready, within=CONNECT_TIMEOUT_SECONDS * 2, what="writable again")
