"""Benchmark: bulk Request of 200 assignments against an FMS answering in 100 ms (docs/benchmarks.md).

    .venv/bin/python bench/bulk_request.py [--fms simulator|memory] [--items 200] [--latency-ms 100]

Real PostgreSQL (embedded, in a temporary directory under /tmp). FMS is the simulator of
adapters/fms_sim run as `media-scheduler fms-sim` in its own process and called over HTTP through
HttpFmsGateway (one pooled httpx client), or with --fms memory the in-process MemoryFmsGateway.
For each concurrency C it prints the wall time beside the bound ceil(items / C) x latency, then single
Requests one after another: in all, beyond the FMS latency, the FMS call, the service's own time,
beside their floors (bench/request_floor.py: the same create on a raw socket, the Request's database
round trips hand-written).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta

import httpx
from bench_env import SIM_TOKEN, StatementCounter, embedded_database, register_vehicles, simulator_process
from request_floor import database_floor, raw_fms_floor

from adapters.fms_http.client import FmsEndpoint, fms_client
from adapters.fms_http.gateway import HttpFmsGateway
from adapters.fms_http.secret import Secret
from adapters.memory.fms_gateway import MemoryFmsGateway
from adapters.postgres.db import PgPool
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from adapters.system_clock import SystemClock
from application.bulk import BulkAction, BulkSettings, run_bulk
from application.ports import FmsAnswer, FmsGateway
from application.protocol.holds import Holder
from application.protocol.ports import ProtocolPorts
from application.records import Actor, Office, RequestSettings
from application.request import request_assignment
from domain.assignment import Assignment
from domain.fms_request import VehicleRequest
from domain.reference import Partner, Vehicle
from domain.values import Status
from entrypoints.wiring.logging_setup import configure_logging

OFFICE, PERSON, VEHICLES = "Los Angeles", 3001, 50
SINGLES = 30  # single Requests measured, one after another
ACTOR = Actor("bench", fms_user_id=1949)
SETTINGS = RequestSettings(default_requestor_id=1949)
FLEET = [(800_000 + n, f"BENCH{n:012d}") for n in range(VEHICLES)]
FIRST_MONDAY = date(2030, 1, 7)
# This process's hold on its FMS operations, as the service has one (lease renewed when it runs short).
HOLDER = Holder(name="bench", lease=timedelta(minutes=2), longest_call=timedelta(seconds=15))


@asynccontextmanager
async def fms_gateway(kind: str, latency_ms: int) -> AsyncIterator[tuple[FmsGateway, str | None]]:
    """The FMS the bench calls: the simulator over HTTP (and its URL), or the in-memory fake (None)."""
    if kind == "memory":
        yield MemoryFmsGateway(latency_seconds=latency_ms / 1000), None
        return
    async with simulator_process(latency_ms) as url:
        await register_vehicles(url, FLEET)
        endpoint = FmsEndpoint(url, Secret(SIM_TOKEN))
        async with fms_client(endpoint, timeout_seconds=30, connect_timeout_seconds=5) as client:
            yield HttpFmsGateway(client, endpoint), url


class Seeder:
    """Adds batches of manual assignments, each batch on weeks no earlier batch used."""

    def __init__(self, factory: PostgresUnitOfWorkFactory) -> None:
        self.factory = factory
        self.next_week = 0

    async def reference_data(self) -> None:
        """The office, the fleet and one partner."""
        async with self.factory() as uow:
            await uow.reference.replace_offices([Office(OFFICE)])
            await uow.reference.replace_vehicles([Vehicle(vin, OFFICE, fms_vehicle_id=i) for i, vin in FLEET])
            await uow.reference.replace_partners([Partner(PERSON, OFFICE, "Rivera, Alex")])

    async def assignments(self, count: int) -> list[int]:
        """count week-long assignments spread over the fleet, back to back per vehicle."""
        weeks = math.ceil(count / VEHICLES)
        async with self.factory() as uow:
            added = []
            for n in range(count):
                start = FIRST_MONDAY + timedelta(weeks=self.next_week + n // VEHICLES)
                vin = FLEET[n % VEHICLES][1]
                a = Assignment(vin, PERSON, OFFICE, start, start + timedelta(days=7), Status.MANUAL)
                added.append(await uow.assignments.add(a))
        self.next_week += weeks
        return [a.assignment_id for a in added if a.assignment_id is not None]


async def bulk_row(
    seeder: Seeder, fms: FmsGateway, counter: StatementCounter, items: int, limit: int, latency: float
) -> tuple[float, float, float]:
    """Request `items` fresh assignments at concurrency `limit`: (wall seconds, bound, statements/item)."""
    ids = await seeder.assignments(items)
    before = await counter.settled()
    started = time.perf_counter()
    report = await run_bulk(
        BulkAction.REQUEST,
        ids,
        actor=ACTOR,
        ports=ProtocolPorts(seeder.factory, fms, SystemClock(), HOLDER),
        request_settings=SETTINGS,
        bulk_settings=BulkSettings(max_items=max(500, items), max_concurrency=limit),
    )
    wall = time.perf_counter() - started
    if report.succeeded != items:
        raise RuntimeError(f"{report.failed} items failed: {report.results[0].error}")
    statements = (await counter.settled() - before) / items
    return wall, math.ceil(items / limit) * latency, statements


class TimedFms:
    """Passes creates on to FMS, keeping how long each call took (HTTP and FMS included)."""

    def __init__(self, inner: FmsGateway) -> None:
        self.inner = inner
        self.durations: list[float] = []

    async def create_request(self, request: VehicleRequest) -> FmsAnswer:
        """Time one create."""
        started = time.perf_counter()
        try:
            return await self.inner.create_request(request)
        finally:
            self.durations.append(time.perf_counter() - started)

    async def delete_request(self, fms_request_id: int) -> FmsAnswer:
        """Not timed."""
        return await self.inner.delete_request(fms_request_id)


async def single_requests(seeder: Seeder, fms: FmsGateway, count: int) -> tuple[list[float], list[float]]:
    """The durations of `count` single Requests made one after another, and of their FMS calls."""
    timed, durations = TimedFms(fms), []
    for assignment_id in await seeder.assignments(count):
        started = time.perf_counter()
        await request_assignment(
            assignment_id,
            actor=ACTOR,
            ports=ProtocolPorts(seeder.factory, timed, SystemClock(), HOLDER),
            settings=SETTINGS,
        )
        durations.append(time.perf_counter() - started)
    return durations, timed.durations


async def main(kind: str, items: int, latency_ms: int, limits: list[int], repeat: int) -> None:
    """Run every measurement and print the tables."""
    configure_logging("WARNING", "json")
    latency = latency_ms / 1000
    counter = StatementCounter()
    async with embedded_database(counter) as pool, fms_gateway(kind, latency_ms) as (fms, url):
        seeder = Seeder(PostgresUnitOfWorkFactory(pool))
        await seeder.reference_data()
        await bulk_row(seeder, fms, counter, 16, 16, latency)  # warm-up: connections, prepared statements
        fms_name = (
            "FMS simulator over HTTP (media-scheduler fms-sim)" if kind == "simulator" else "MemoryFmsGateway"
        )
        when = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
        print(f"{fms_name}, {latency_ms} ms per call; embedded PostgreSQL; {when}")
        print(
            f"\n| items | C | wall s | bound s = ceil(items/C) x {latency:g} | ratio | DB statements/item |"
        )
        print("|---:|---:|---:|---:|---:|---:|")
        for limit in limits:
            runs = [await bulk_row(seeder, fms, counter, items, limit, latency) for _ in range(repeat)]
            wall, bound, statements = sorted(runs)[len(runs) // 2]  # the median run by wall time
            print(f"| {items} | {limit} | {wall:.3f} | {bound:.1f} | {wall / bound:.3f} | {statements:.2f} |")
            print(f"<!-- every run's ratio: {' '.join(f'{w / b:.3f}' for w, b, _ in runs)} -->")
        await single_report(seeder, fms, url, latency_ms, pool)


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.2f} ms"


async def set_latency(fms: FmsGateway, url: str | None, latency_ms: int) -> None:
    """Make FMS answer after latency_ms from now on (the simulator through its control API)."""
    if url is None:
        assert isinstance(fms, MemoryFmsGateway)
        fms.latency_seconds = latency_ms / 1000
        return
    async with httpx.AsyncClient(base_url=url) as control:
        (await control.post("/_control/faults", json={"latency_ms": latency_ms})).raise_for_status()


async def single_report(
    seeder: Seeder, fms: FmsGateway, url: str | None, latency_ms: int, pool: PgPool
) -> None:
    """Single Requests one after another beside their floors (the database's round trips hand-written;
    with the simulator, the FMS create on a raw socket), with FMS answering at once, then at its latency."""
    print(f"\nsingle Request, {SINGLES} one after another (medians):")
    print("| FMS latency | | in all | beyond the FMS latency | FMS call | own (beyond the FMS call) |")
    print("|---:|---|---:|---:|---:|---:|")
    for round_, latency in enumerate(dict.fromkeys([0, latency_ms])):
        await set_latency(fms, url, latency)
        durations, calls = await single_requests(seeder, fms, SINGLES)
        beyond = [d - latency / 1000 for d in durations]
        own = [d - c for d, c in zip(durations, calls, strict=True)]
        fresh = await seeder.assignments(SINGLES)
        database = await database_floor(pool, fresh, fms_seconds=latency / 1000)
        print(f"| {latency} ms | service | {_ms(durations)} | {_ms(beyond)} | {_ms(calls)} | {_ms(own)} |")
        raw = "n/a"
        if url is not None:
            raw = _ms(await raw_fms_floor(url, SIM_TOKEN, floor_requests(SINGLES, first=round_ * SINGLES)))
        hand_written = f"{_ms(database)} (6 hand-written round trips)"
        print(f"| {latency} ms | floor | | | {raw} (raw socket) | {hand_written} |")
    await set_latency(fms, url, latency_ms)


def floor_requests(count: int, *, first: int = 0) -> list[VehicleRequest]:
    """Creates number first.. on the bench's fleet from 2040 (no assignment of the bench books those days)."""
    start = date(2040, 1, 2)
    return [
        VehicleRequest(
            requestor_id=1949,
            start_date=start + timedelta(days=3 * (n // VEHICLES)),
            end_date=start + timedelta(days=3 * (n // VEHICLES) + 1),
            activity_type_id=1,
            activity_to="Floor",
            reason="Media loan",
            loanee_id=PERSON,
            vehicle_id=FLEET[n % VEHICLES][0],
            vehicle_notes="",
            requestor_notes=f"bench-floor-{n}",
        )
        for n in range(first, first + count)
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fms", choices=("simulator", "memory"), default="simulator")
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 16])
    parser.add_argument("--repeat", type=int, default=3, help="runs per concurrency (the median is shown)")
    args = parser.parse_args()
    asyncio.run(main(args.fms, args.items, args.latency_ms, args.concurrency, args.repeat))
