"""The seams soak: long bulk queues, the recovery worker, people resolving by hand, and crashes, at once.

    .venv/bin/python -m bench.fault_soak --mode seams --items 200

Two logical service processes share one real PostgreSQL and the FMS simulator over real HTTP. The
first runs a bulk Request of every assignment at the configured concurrency while FMS answers no
call at all (every create and delete times out; some were acted on first): its queue outlasts a lease
many times over. The second runs the recovery worker every 0.1 s, and a person resolves whatever the
attention list shows, after looking the request up in FMS. Halfway, the first process crashes and a
new one bulk-requests everything again. Then FMS is healthy and everything left is settled; the
counts must show no orphan, no duplicate and nothing unsettled.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import time
from contextlib import suppress
from datetime import timedelta
from uuid import UUID

import httpx
from bench.fault_soak import SoakResult, _check, seed_world
from bench.soak_processes import SoakProcess, track_soak_tasks

from adapters.fms_faults import FmsFault
from adapters.fms_http.client import FmsEndpoint, fms_client
from adapters.fms_http.gateway import HttpFmsGateway
from adapters.fms_http.secret import Secret
from adapters.postgres.migrations import apply_migrations
from adapters.postgres.pool import create_pool
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from adapters.postgres.worker_lock import PostgresWorkerLock
from adapters.system_clock import SystemClock
from application.backoff import Backoff
from application.bulk import BulkAction, BulkSettings, run_bulk
from application.port_errors import PortError
from application.ports import UnitOfWorkFactory
from application.protocol.ports import ProtocolPorts
from application.records import Actor, RequestSettings
from application.recovery import settle_pending
from application.resolve import needing_attention, resolve_operation
from domain.errors import DomainError
from domain.fms_request import scheduler_reference
from domain.values import PendingKind, Resolution
from fms_simulator.faults import FaultPlan, FaultRule
from fms_simulator.server import SimulatorServer
from fms_simulator.state import SimState
from fms_simulator.world import World

PERSON = Actor("soak-person", fms_user_id=1949, roles=frozenset({"admin"}))
TIMEOUT = 0.2  # the FMS client's read and connect timeouts: the longest call is 0.4 s
LONGEST_CALL = timedelta(seconds=2 * TIMEOUT)
LEASE = timedelta(seconds=0.5)  # the smallest staleness the settings allow: just above one call


def _hanging(rng: random.Random) -> FaultPlan:
    """Every create and delete times out; about a third were acted on before the silence."""
    plan = FaultPlan(rng=rng)
    plan.rules += [
        FaultRule(
            FmsFault.COMMIT_THEN_HANG,
            remaining=None,
            calls=frozenset({"create", "delete"}),
            probability=0.35,
        ),
        FaultRule(FmsFault.HANG, remaining=None, calls=frozenset({"create", "delete"})),
        FaultRule(FmsFault.LOOKUP_UNFILTERED, remaining=None, calls=frozenset({"lookup"}), probability=0.2),
    ]
    return plan


def truth(
    sim: SimState, assignment_id: int, pending_kind: PendingKind, operation: str, fms_id: int | None
) -> tuple[Resolution, int | None]:
    """What a person finds in FMS: the request by its reference (create) or by its id (delete)."""
    if pending_kind is PendingKind.CREATE:
        reference = scheduler_reference(assignment_id, UUID(operation))
        for found_id, stored in sim.requests.items():
            if stored.new.texts.get("requestor_notes") == reference:
                return Resolution.LINK, found_id
        return Resolution.NOT_SENT, None
    return (Resolution.STILL_OPEN if fms_id in sim.requests else Resolution.DELETED), None


async def person(uow: UnitOfWorkFactory, sim: SimState, result: SoakResult, clock: SystemClock) -> None:
    """Resolve what attention lists, as a person would after looking in FMS; 409 while a call is under way."""
    while True:
        await asyncio.sleep(0.2)
        with suppress(PortError):
            for item in await needing_attention(uow_factory=uow, clock=clock, limit=20):
                a = item.assignment
                if item.call_under_way or a.pending is None or a.assignment_id is None:
                    continue
                resolution, fms_id = truth(
                    sim, a.assignment_id, a.pending.kind, str(a.pending.operation_id), a.fms_request_id
                )
                try:
                    await resolve_operation(
                        a.assignment_id,
                        resolution,
                        fms_request_id=fms_id,
                        actor=PERSON,
                        uow_factory=uow,
                        clock=clock,
                    )
                    result.outcomes[f"resolved by hand: {resolution.value}"] += 1
                except DomainError as refused:
                    result.outcomes[f"resolve refused: {type(refused).__name__}"] += 1


async def run_seams(
    dsn: str, *, items: int = 200, concurrency: int = 8, seed: int = 1, crash: bool = True
) -> SoakResult:
    """Run the seams soak on the database at dsn (migrated here) and return the counts."""
    track_soak_tasks(asyncio.get_running_loop())
    rng = random.Random(seed)
    result = SoakResult(operations=items)
    pool = await create_pool(dsn, min_size=2, max_size=concurrency + 8)
    sim = SimState(
        World(seed=seed, scale=0.02), token=secrets.token_urlsafe(16), faults=_hanging(rng), hang_seconds=1.0
    )
    clock, uow = SystemClock(), PostgresUnitOfWorkFactory(pool)
    try:
        await apply_migrations(pool)
        seeded = await seed_world(
            pool, sim.world, weeks=max(1, -(-items // max(1, sim.world.vehicle_count - 1)))
        )
        ids = seeded[:items]
        async with SimulatorServer(sim) as server:
            endpoint = FmsEndpoint(server.url, Secret(sim.token or ""))
            async with fms_client(
                endpoint, timeout_seconds=TIMEOUT, connect_timeout_seconds=TIMEOUT
            ) as client:

                async def count(_: httpx.Request) -> None:
                    result.http_calls += 1

                client.event_hooks["request"].append(count)
                fms = HttpFmsGateway(client, endpoint)

                def process(name: str) -> SoakProcess:
                    return SoakProcess(name, LEASE, LONGEST_CALL, uow, clock)

                async def bulk(p: SoakProcess) -> None:
                    report = await run_bulk(
                        BulkAction.REQUEST,
                        ids,
                        actor=PERSON,
                        ports=ProtocolPorts(uow, fms, clock, p.holder),
                        request_settings=RequestSettings(1949),
                        bulk_settings=BulkSettings(max_items=10_000, max_concurrency=concurrency),
                    )
                    for r in report.results:
                        result.outcomes[f"bulk {p.name}: {type(r.error).__name__ if r.error else 'ok'}"] += 1

                worker = await process("worker").begin()
                ports, lock = ProtocolPorts(uow, fms, clock, worker.holder), PostgresWorkerLock(pool)

                async def recovery() -> None:
                    while True:
                        with suppress(PortError):
                            await settle_pending(
                                ports, lock=lock, finder=fms, backoff=Backoff(base_seconds=0.05)
                            )
                        result.recovery_passes += 1
                        await asyncio.sleep(0.1)

                started = time.perf_counter()
                worker.start(recovery())
                worker.start(person(uow, sim, result, clock))
                first = await process("bulk-1").begin()
                run = first.start(bulk(first))
                if crash:
                    await asyncio.sleep(TIMEOUT * items / concurrency / 2)
                    await first.crash()
                    result.outcomes["crashed: bulk-1"] += 1
                    second = await process("bulk-2").begin()
                    await second.start(bulk(second))
                    await second.stop()
                else:
                    await run
                    await first.stop()
                sim.faults.rules.clear()  # FMS is healthy again
                sim.release_hanging()
                await settle_left(uow, result)
                await worker.stop()
                result.seconds = time.perf_counter() - started
        result.faults = sim.faults.hits
        await _check(pool, sim, result, len(seeded))
    finally:
        await pool.close()
    return result


async def settle_left(uow: UnitOfWorkFactory, result: SoakResult) -> None:
    """Wait (at most a minute) until the worker and people have settled everything."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        async with uow() as u:
            if not await u.assignments.in_flight(limit=1):
                return
        await asyncio.sleep(0.2)
