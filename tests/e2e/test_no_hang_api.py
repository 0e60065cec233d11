"""End to end on PostgreSQL: nothing waits while holding a pooled connection (issue 25, item 1).

Syncs triggered while one runs are refused at once (409 naming the running run) instead of waiting for
the sync lock on a pooled connection each; an exhausted pool answers 503 after DB_POOL_TIMEOUT_SECONDS
instead of never. Every wait below is bounded by a multiple of that setting.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from dependency_injector import providers

from adapters.postgres.db import PgConnection, PgPool
from application.sync.records import ReportName
from entrypoints.http.app import create_app
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.service import Settings
from entrypoints.wiring.container import Container, build_container, resolve
from tests.e2e.asgi_support import asgi_client
from tests.pg_support import DatabaseFactory
from tests.sync_support import DictSources, GatedSource, fixture_bytes

pytestmark = pytest.mark.postgres

POOL_TIMEOUT_SECONDS = 1.0
# A refusal is one acquire and two short statements; an exhausted pool answers after one timeout.
BOUND_SECONDS = 20 * POOL_TIMEOUT_SECONDS
TRIGGERS = 12  # more than the pool's 10 connections


@dataclass
class HeldSyncEnv:
    """A client on the service on PostgreSQL, its container, and the gated report its sync reads."""

    client: httpx.AsyncClient
    container: Container
    gated: GatedSource


@pytest.fixture
async def held_env(pg_database_factory: DatabaseFactory) -> AsyncIterator[HeldSyncEnv]:
    """The sandbox service on a fresh database; its full sync reads one report, held at a gate."""
    settings = Settings(
        storage_backend="postgres",
        database_url=await pg_database_factory(),
        db_pool_timeout_seconds=POOL_TIMEOUT_SECONDS,
        demo_data=False,
        fms=FmsSettings(sandbox="memory", sandbox_latency_ms=0),
    )
    container = build_container(settings)
    gated = GatedSource(fixture_bytes(ReportName.VEHICLES))
    container.sync.sources.override(providers.Object(DictSources({ReportName.VEHICLES: gated})))
    async with asgi_client(create_app(container)) as client:
        try:
            yield HeldSyncEnv(client, container, gated)
        finally:
            gated.gate.set()


async def test_triggers_while_a_sync_runs_are_refused_at_once_and_the_database_still_answers(
    held_env: HeldSyncEnv,
) -> None:
    client, gated = held_env.client, held_env.gated
    first = asyncio.create_task(client.post("/api/admin/trigger-sync"))
    await asyncio.wait_for(gated.reading.wait(), BOUND_SECONDS)

    upload = {"file": ("vehicles.csv", fixture_bytes(ReportName.VEHICLES), "text/csv")}
    calls = [client.post("/api/admin/trigger-sync") for _ in range(TRIGGERS)]
    calls += [client.post("/api/ingest/sync"), client.post("/ingest/vehicles", files=upload)]
    answers = await asyncio.wait_for(asyncio.gather(*calls), BOUND_SECONDS)
    assert [a.status_code for a in answers] == [409] * len(calls), answers[0].text
    running = {a.json()["run_id"] for a in answers}
    assert len(running) == 1
    assert None not in running
    assert "already running" in answers[0].json()["detail"]

    health = await asyncio.wait_for(client.get("/healthz/db"), BOUND_SECONDS)
    assert health.status_code == 200, health.text
    status = await asyncio.wait_for(client.get("/api/admin/sync-status"), BOUND_SECONDS)
    assert status.json()["running"] is True

    gated.gate.set()
    done = await asyncio.wait_for(first, BOUND_SECONDS)
    assert done.status_code == 200, done.text
    assert done.json()["run_id"] in running
    runs = (await client.get("/api/admin/sync-status")).json()
    assert runs["running"] is False
    assert runs["last_sync"]["run_id"] == done.json()["run_id"]  # the refused triggers recorded no run


async def test_an_exhausted_pool_answers_503_after_the_pool_timeout(held_env: HeldSyncEnv) -> None:
    client = held_env.client
    pool: PgPool = await resolve(held_env.container.database)
    held: list[PgConnection] = []
    try:
        while len(held) < pool.get_max_size():
            held.append(await pool.acquire(timeout=BOUND_SECONDS))
        health = await asyncio.wait_for(client.get("/healthz/db"), BOUND_SECONDS)
        assert health.status_code == 503
        offices = await asyncio.wait_for(client.get("/api/offices"), BOUND_SECONDS)
        assert offices.status_code == 503
        assert "database" in offices.json()["detail"]
        sync = await asyncio.wait_for(client.post("/api/admin/trigger-sync"), BOUND_SECONDS)
        assert sync.status_code == 503
    finally:
        for conn in held:
            await pool.release(conn)
    assert (await asyncio.wait_for(client.get("/healthz/db"), BOUND_SECONDS)).status_code == 200
