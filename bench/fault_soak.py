"""FmsFault soak: many mixed operations against the FMS simulator with injected faults, then recovery.

    .venv/bin/python -m bench.fault_soak --operations 1000

Requests, unrequests, deletes and bulk requests/unrequests run concurrently on real PostgreSQL
(embedded, in a temporary directory) against the simulator over real HTTP, which answers about 10 %
of calls with a 503, commits then fails 5 %, and drops 5 % of connections (half of them after
committing). Then the recovery pass settles everything against a healthy FMS, and the counts are
checked: no orphan FMS request, no duplicate, no lost assignment, every FMS call in the audit log.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import tempfile
import time
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx

from adapters.fms_faults import FmsFault
from adapters.fms_http.client import FmsEndpoint, fms_client
from adapters.fms_http.gateway import HttpFmsGateway
from adapters.fms_http.secret import Secret
from adapters.postgres.db import PgPool
from adapters.postgres.embedded import EmbeddedPostgres
from adapters.postgres.migrations import apply_migrations
from adapters.postgres.pool import create_pool
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from adapters.postgres.worker_lock import PostgresWorkerLock
from adapters.system_clock import SystemClock
from application.backoff import Backoff
from application.bulk import BulkAction, BulkSettings, run_bulk
from application.errors import ApplicationError
from application.fms_delete import delete_assignment, unrequest_assignment
from application.port_errors import PortError
from application.ports import Clock, FmsRequestFinder, UnitOfWorkFactory, WorkerLock
from application.protocol.holds import Holder, renew_hold
from application.protocol.ports import ProtocolPorts
from application.records import Actor, Office, RequestSettings
from application.recovery import settle_pending
from application.request import request_assignment
from domain.assignment import Assignment
from domain.errors import DomainError
from domain.reference import Partner, Vehicle
from domain.values import Status
from entrypoints.wiring.logging_setup import configure_logging
from fms_simulator.faults import FaultPlan, FaultRule
from fms_simulator.server import SimulatorServer
from fms_simulator.state import SimState
from fms_simulator.world import World

ACTOR = Actor("soak", fms_user_id=1949)
START = date(2027, 1, 4)


@dataclass
class SoakResult:
    """What the soak did and what it found."""

    operations: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    http_calls: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    audited_calls: int = 0
    recovery_passes: int = 0
    unsettled: int = 0
    orphans: int = 0
    duplicates: int = 0
    missing_in_fms: int = 0
    lost_assignments: int = 0
    seconds: float = 0.0

    @property
    def clean(self) -> bool:
        """No invariant broken."""
        return not (
            self.unsettled
            or self.orphans
            or self.duplicates
            or self.missing_in_fms
            or self.lost_assignments
            or self.audited_calls < self.http_calls
        )


async def seed_world(pool: PgPool, world: World, weeks: int) -> list[int]:
    """Reference data from the simulator's fleet and weekly planned assignments of each vehicle; their ids."""
    factory = PostgresUnitOfWorkFactory(pool)
    vehicles = [world.vehicle(i) for i in range(world.vehicle_count)]
    vehicles = [v for v in vehicles if v.vehicle_id is not None]
    office = vehicles[0].office
    ids: list[int] = []
    async with factory() as uow:
        await uow.reference.replace_offices([Office(office)])
        await uow.reference.replace_vehicles(
            [
                Vehicle(vin=v.vin, office=office, fms_vehicle_id=v.vehicle_id, make=v.make, model=v.model)
                for v in vehicles
            ]
        )
        await uow.reference.replace_partners(
            [Partner(person_id=3000 + i, office=office, name=f"Partner {i}") for i in range(5)]
        )
        for v in vehicles:
            for week in range(weeks):
                start = START + timedelta(days=7 * week)
                a = await uow.assignments.add(
                    Assignment(
                        vin=v.vin,
                        person_id=3000 + week % 5,
                        office=office,
                        start_day=start,
                        end_day=start + timedelta(days=7),
                        status=Status.PLANNED,
                    )
                )
                assert a.assignment_id is not None
                ids.append(a.assignment_id)
    return ids


def _faults(rng: random.Random) -> FaultPlan:
    plan = FaultPlan(rng=rng)
    plan.rules += [
        FaultRule(FmsFault.ERROR, 503, remaining=None, probability=0.10),
        FaultRule(FmsFault.COMMIT_THEN_FAIL, 500, remaining=None, probability=0.05),
        FaultRule(FmsFault.DROP, remaining=None, probability=0.025),
        FaultRule(FmsFault.COMMIT_THEN_DROP, remaining=None, probability=0.025),
    ]
    return plan


@dataclass(frozen=True)
class Ports:
    """What the operations run with: the protocol's ports and the request settings."""

    protocol: ProtocolPorts
    settings: RequestSettings

    @property
    def uow(self) -> UnitOfWorkFactory:
        """The units of work."""
        return self.protocol.uow_factory

    @property
    def clock(self) -> Clock:
        """The clock."""
        return self.protocol.clock


async def _one(kind: str, ids: list[int], rng: random.Random, p: Ports) -> str:
    pick = rng.choice(ids)
    try:
        if kind == "request":
            await request_assignment(
                pick,
                actor=ACTOR,
                ports=p.protocol,
                settings=p.settings,
            )
        elif kind == "unrequest":
            await unrequest_assignment(
                pick,
                target_status=None,
                actor=ACTOR,
                ports=p.protocol,
            )
        elif kind == "delete":
            await delete_assignment(
                pick,
                actor=ACTOR,
                ports=p.protocol,
            )
        else:
            action = BulkAction.REQUEST if kind == "bulk-request" else BulkAction.UNREQUEST
            await run_bulk(
                action,
                rng.sample(ids, 5),
                actor=ACTOR,
                ports=p.protocol,
                request_settings=p.settings,
                bulk_settings=BulkSettings(),
            )
        return f"{kind}: ok"
    except (DomainError, ApplicationError) as exc:
        return f"{kind}: {type(exc).__name__}"


LONGEST_CALL = timedelta(seconds=2)  # the soak's FMS timeouts: 1 s to connect, 1 s to answer
LEASE = timedelta(seconds=3)


async def keep_alive(holder: Holder, p: Ports) -> None:
    """The heartbeat of a soak process: renew its lease as the service does."""
    while True:
        with suppress(PortError):
            await renew_hold(holder, uow_factory=p.uow, clock=p.clock)
        await asyncio.sleep(holder.renew_every.total_seconds())


async def settle_all(
    ports: ProtocolPorts, lock: WorkerLock, finder: FmsRequestFinder, result: SoakResult
) -> None:
    """Against a healthy FMS: passes until nothing is left, waiting out quiet times between them."""
    for _ in range(20):
        result.recovery_passes += 1
        await settle_pending(
            ports, lock=lock, finder=finder, backoff=Backoff(base_seconds=0.01), limit=10_000
        )
        async with ports.uow_factory() as uow:
            if not await uow.assignments.in_flight(limit=1):
                return
        await asyncio.sleep(ports.holder.lease.total_seconds() / 2)


async def _check(pool: PgPool, sim: SimState, result: SoakResult, total: int) -> None:
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT id, status, fms_state, fms_request_id, removed FROM assignments")
        result.audited_calls = await conn.fetchval(
            "SELECT count(*) FROM fms_operations WHERE call IN ('create', 'delete', 'lookup')"
        )
    live = [r for r in rows if not r["removed"]]
    result.lost_assignments = total - len(rows)
    result.unsettled = sum(1 for r in live if r["fms_state"] in ("creating", "deleting", "unknown"))
    held = Counter(r["fms_request_id"] for r in live if r["status"] == "requested")
    owners = Counter(r.new.texts.get("requestor_notes", "").split(":op=")[0] for r in sim.requests.values())
    open_ids = set(sim.requests)
    result.duplicates = sum(n - 1 for n in held.values() if n > 1) + sum(
        n - 1 for n in owners.values() if n > 1
    )
    result.orphans = len(open_ids - set(held))
    result.missing_in_fms = len(set(held) - open_ids)


async def run_soak(
    dsn: str, *, operations: int, concurrency: int = 8, seed: int = 1, weeks: int = 10
) -> SoakResult:
    """Run the soak on the database at dsn (migrated here) and return the counts."""
    rng = random.Random(seed)
    result = SoakResult(operations=operations)
    pool = await create_pool(dsn, min_size=2, max_size=concurrency + 4)
    sim = SimState(
        World(seed=seed, scale=0.02), token=secrets.token_urlsafe(16), faults=_faults(rng), hang_seconds=2.0
    )
    try:
        await apply_migrations(pool)
        ids = await seed_world(pool, sim.world, weeks)
        async with SimulatorServer(sim) as server:
            endpoint = FmsEndpoint(server.url, Secret(sim.token or ""))
            async with fms_client(endpoint, timeout_seconds=1.0, connect_timeout_seconds=1.0) as client:

                async def count(_: httpx.Request) -> None:
                    result.http_calls += 1

                client.event_hooks["request"].append(count)
                fms = HttpFmsGateway(client, endpoint)
                holder = Holder("soak", lease=LEASE, longest_call=LONGEST_CALL)
                protocol = ProtocolPorts(PostgresUnitOfWorkFactory(pool), fms, SystemClock(), holder)
                ports = Ports(protocol, RequestSettings(1949))
                kinds = (
                    ["request"] * 10
                    + ["unrequest"] * 4
                    + ["delete"] * 2
                    + ["bulk-request", "bulk-unrequest"] * 2
                )
                queue = [rng.choice(kinds) for _ in range(operations)]
                started = time.perf_counter()

                lock = PostgresWorkerLock(pool)
                backoff = Backoff(base_seconds=0.05)

                async def worker() -> None:
                    while queue:
                        result.outcomes[await _one(queue.pop(), ids, rng, ports)] += 1

                async def recovery_worker() -> None:
                    # as in the service: settle what nobody holds, while traffic goes on
                    while True:
                        await settle_pending(protocol, lock=lock, finder=fms, backoff=backoff)
                        result.recovery_passes += 1
                        await asyncio.sleep(0.3)

                heartbeat = asyncio.create_task(keep_alive(holder, ports))
                background = asyncio.create_task(recovery_worker())
                await asyncio.gather(*(worker() for _ in range(concurrency)))
                background.cancel()
                with suppress(asyncio.CancelledError):
                    await background
                sim.faults.rules.clear()  # FMS is healthy again: settle everything left
                await settle_all(protocol, lock, fms, result)
                heartbeat.cancel()
                result.seconds = time.perf_counter() - started
        result.faults = sim.faults.hits
        await _check(pool, sim, result, len(ids))
    finally:
        await pool.close()
    return result


def main() -> None:
    """Run the soak on a fresh embedded PostgreSQL and print its counts."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--operations", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--mode",
        choices=("mixed", "seams"),
        default="mixed",
        help="mixed: random single and bulk actions with faults; seams: long bulk queues against an FMS "
        "that never answers, the recovery worker, hand resolutions and a crash (bench/seams_soak.py)",
    )
    parser.add_argument("--items", type=int, default=200, help="seams: assignments in the bulk")
    args = parser.parse_args()
    configure_logging("ERROR", "console")
    data_dir = Path(tempfile.mkdtemp(prefix="ms-soak-", dir="/tmp"))
    server = EmbeddedPostgres.start(data_dir, database="soak")
    try:
        if args.mode == "seams":
            from bench.seams_soak import run_seams

            result = asyncio.run(
                run_seams(server.dsn, items=args.items, concurrency=args.concurrency, seed=args.seed)
            )
        else:
            result = asyncio.run(
                run_soak(server.dsn, operations=args.operations, concurrency=args.concurrency, seed=args.seed)
            )
    finally:
        with suppress(Exception):
            server.stop()
    print(f"operations {result.operations} in {result.seconds:.1f} s (concurrency {args.concurrency})")
    for outcome, n in sorted(result.outcomes.items()):
        print(f"  {outcome:40} {n}")
    dealt = ", ".join(f"{mode} {n}" for mode, n in sorted(result.faults.items()))
    print(f"faults dealt by the simulator: {dealt}")
    print(
        f"FMS HTTP calls {result.http_calls}, audited calls {result.audited_calls}, "
        f"recovery passes {result.recovery_passes}"
    )
    print(
        f"unsettled {result.unsettled}, orphan FMS requests {result.orphans}, "
        f"duplicates {result.duplicates}, "
        f"requested but missing in FMS {result.missing_in_fms}, lost assignments {result.lost_assignments}"
    )
    print("CLEAN" if result.clean else "BROKEN")
    raise SystemExit(0 if result.clean else 1)


if __name__ == "__main__":
    main()
