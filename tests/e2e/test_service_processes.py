"""Several real service processes on one PostgreSQL, and processes killed mid-call (issue: no lost or
duplicated FMS requests under faults, crashes and several replicas)."""

from __future__ import annotations

import asyncio
import random
import signal
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator

import httpx
import pytest
from bench.fault_soak import seed_world

from adapters.postgres.pool import create_pool
from fms_simulator.world import World
from tests.e2e.service_processes import ServiceProcess, headers
from tests.fms_support import TODAY, SimulatorThread
from tests.pg_support import DatabaseFactory
from tests.waits import call_seconds, settle_seconds, stop_seconds, until

PATCH = "{}/api/calendar/change-assignment-status/{}"
SIM_SEED, SIM_SCALE = 7, 0.02
IN_FLIGHT = "SELECT id FROM assignments WHERE fms_state IN ('creating', 'deleting', 'unknown')"


@pytest.fixture
def simulator() -> Iterator[SimulatorThread]:
    """The FMS simulator, beside the services, in a thread of its own."""
    with SimulatorThread(seed=SIM_SEED, scale=SIM_SCALE, hang_seconds=2.0) as sim:
        yield sim


async def seeded_database(factory: DatabaseFactory, weeks: int) -> tuple[str, list[int]]:
    """A fresh database with the simulator's fleet and weekly assignments."""
    dsn = await factory()
    pool = await create_pool(dsn, min_size=1, max_size=2)
    try:
        ids = await seed_world(pool, World(seed=SIM_SEED, scale=SIM_SCALE, today=TODAY), weeks)
    finally:
        await pool.close()
    return dsn, ids


def fms_requests(sim_url: str) -> Counter[str]:
    """How many requests FMS holds per assignment (by the reference in requestor_notes)."""
    listed = httpx.get(f"{sim_url}/_control/requests").json()["requests"]
    return Counter(r["requestorNotes"].split(":op=")[0] for r in listed)


async def db_rows(dsn: str, sql: str) -> list[dict[str, object]]:
    """Rows of a query, as dicts."""
    pool = await create_pool(dsn, min_size=1, max_size=1)
    try:
        async with pool.acquire() as conn:
            return [dict(r) for r in await conn.fetch(sql)]
    finally:
        await pool.close()


def calls_under_way(dsn: str, besides: list[dict[str, object]]) -> Callable[[], Awaitable[bool]]:
    """A check that some FMS operation is in flight, other than those already `besides`."""

    async def check() -> bool:
        return any(row not in besides for row in await db_rows(dsn, IN_FLIGHT))

    return check


async def no_orphan_nor_duplicate(dsn: str, sim_url: str) -> Counter[str]:
    """Check that FMS's requests and the requested assignments match one to one; FMS's requests."""
    rows = await db_rows(dsn, "SELECT id, status FROM assignments WHERE NOT removed")
    requested = {f"media-scheduler:assignment={r['id']}" for r in rows if r["status"] == "requested"}
    held = fms_requests(sim_url)
    assert set(held) == requested  # no orphan in FMS, no requested assignment missing there
    assert all(n == 1 for n in held.values()), held  # no duplicate
    return held


def nothing_in_flight(dsn: str) -> Callable[[], Awaitable[bool]]:
    """A check that no FMS operation is left in flight."""

    async def check() -> bool:
        return not await db_rows(dsn, IN_FLIGHT)

    return check


async def hammer(urls: list[str], ids: list[int], status: str, repeat: int) -> None:
    """Send the same status change for every id to every process, several times, all at once."""
    async with httpx.AsyncClient(timeout=call_seconds(), headers=headers()) as client:
        calls = [
            client.patch(PATCH.format(url, aid), params={"new_status": status})
            for aid in ids
            for url in urls
            for _ in range(repeat)
        ]
        random.Random(5).shuffle(calls)
        answers = await asyncio.gather(*calls, return_exceptions=True)
    statuses = Counter(a.status_code if isinstance(a, httpx.Response) else type(a).__name__ for a in answers)
    assert set(statuses) <= {200, 409}, statuses  # done, or refused as already under way


async def test_two_processes_make_exactly_one_create_per_request_cycle(
    pg_database_factory: DatabaseFactory, simulator: SimulatorThread
) -> None:
    dsn, ids = await seeded_database(pg_database_factory, weeks=1)
    ids = ids[:8]
    services = [ServiceProcess(dsn, simulator.url, {"RECOVERY_ENABLED": "false"}) for _ in range(2)]
    try:
        for s in services:
            s.start()
        urls = [s.url for s in services]
        for cycle in (1, 2):
            await hammer(urls, ids, "requested", repeat=3)
            held = fms_requests(simulator.url)
            assert all(held[f"media-scheduler:assignment={aid}"] == 1 for aid in ids), held
            creates = await db_rows(
                dsn,
                "SELECT assignment_id, count(*) AS n FROM fms_operations "
                "WHERE call = 'create' GROUP BY assignment_id",
            )
            assert {r["assignment_id"]: r["n"] for r in creates} == dict.fromkeys(ids, cycle)
            await hammer(urls, ids, "manual", repeat=2)
            assert fms_requests(simulator.url) == Counter()
    finally:
        for s in services:
            s.stop()


async def test_processes_killed_mid_call_leave_nothing_lost_or_duplicated(
    pg_database_factory: DatabaseFactory, simulator: SimulatorThread
) -> None:
    dsn, ids = await seeded_database(pg_database_factory, weeks=2)
    async with httpx.AsyncClient(base_url=simulator.url) as control:
        await control.post("/_control/faults", json={"latency_ms": 800})  # calls are under way when killed
    rng = random.Random(3)
    # A killed process's holds lapse within its lease (RECOVERY_STALE_AFTER_SECONDS), then recovery acts.
    crashy = {"RECOVERY_ENABLED": "false", "FMS_TIMEOUT_SECONDS": "2", "RECOVERY_STALE_AFTER_SECONDS": "4"}
    for _round in range(3):
        service = ServiceProcess(dsn, simulator.url, crashy).start()
        left = await db_rows(dsn, IN_FLIGHT)  # by the rounds before
        async with httpx.AsyncClient(timeout=call_seconds(service.settings.fms), headers=headers()) as client:
            calls = [
                client.patch(
                    PATCH.format(service.url, aid),
                    params={"new_status": rng.choice(["requested", "requested", "manual"])},
                )
                for aid in rng.sample(ids, 15)
            ]
            traffic = asyncio.gather(*calls, return_exceptions=True)
            # Killed while calls are under way (each takes 0.8 s): once one is, at a random moment.
            await until(calls_under_way(dsn, left), within=call_seconds(service.settings.fms), what="a call")
            await asyncio.sleep(rng.uniform(0, 0.4))
            service.kill()
            await traffic
    async with httpx.AsyncClient(base_url=simulator.url) as control:
        await control.delete("/_control/faults")
    in_flight = await db_rows(dsn, IN_FLIGHT)
    assert in_flight, "no kill landed during a call: the test proved nothing"

    settle = {
        "RECOVERY_ENABLED": "true",
        "RECOVERY_INTERVAL_SECONDS": "0.2",
        "RECOVERY_STALE_AFTER_SECONDS": "1.6",
        "FMS_LOOKUP_ENABLED": "true",
    }
    service = ServiceProcess(dsn, simulator.url, settle).start()
    try:
        within = settle_seconds(service.settings.recovery, service.settings.fms, operations=len(in_flight))
        await until(nothing_in_flight(dsn), within=within, what="recovery settling the killed calls")
    finally:
        service.stop()
    rows = await db_rows(dsn, "SELECT id, status, fms_state, fms_request_id, removed FROM assignments")
    assert len(rows) == len(ids)  # nothing lost
    for r in rows:  # I1
        assert (r["status"] == "requested") == (r["fms_state"] in ("open", "deleting")), r
    requested = {f"media-scheduler:assignment={r['id']}" for r in rows if r["status"] == "requested"}
    held = fms_requests(simulator.url)
    assert set(held) == requested  # I2: no orphan in FMS, no requested assignment missing there
    assert all(n == 1 for n in held.values()), held  # no duplicate
    pending = await db_rows(dsn, "SELECT count(*) AS n FROM fms_operations WHERE outcome = 'pending'")
    assert pending == [{"n": 0}]  # every intent closed, every call in the audit log


async def test_a_bulk_queue_in_one_process_is_never_taken_over_by_recovery_in_another(
    pg_database_factory: DatabaseFactory, simulator: SimulatorThread
) -> None:
    """One process runs a bulk of 200 at concurrency 8 against an FMS that answers nothing, its queue
    many leases long; another runs the recovery worker with the smallest allowed staleness. Once FMS
    is healthy: no orphan, no duplicate, nothing unsettled."""
    dsn, seeded = await seeded_database(pg_database_factory, weeks=30)
    ids = seeded[:200]
    fast = {  # the smallest staleness the settings allow: just above one call (0.3 + 0.2 s)
        "FMS_TIMEOUT_SECONDS": "0.3",
        "FMS_CONNECT_TIMEOUT_SECONDS": "0.2",
        "RECOVERY_STALE_AFTER_SECONDS": "0.6",
        "FMS_LOOKUP_ENABLED": "true",
    }
    bulk = ServiceProcess(
        dsn, simulator.url, {**fast, "RECOVERY_ENABLED": "false", "FMS_MAX_CONCURRENCY": "8"}
    )
    recovery = ServiceProcess(
        dsn, simulator.url, {**fast, "RECOVERY_ENABLED": "true", "RECOVERY_INTERVAL_SECONDS": "0.1"}
    )
    async with httpx.AsyncClient(base_url=simulator.url) as control:
        for fault in (  # every create and delete times out; some were acted on before the silence
            {"mode": "commit_then_hang", "calls": ["create"], "fail_next": 60},
            {"mode": "hang", "calls": ["create", "delete"], "fail_next": 100_000},
        ):
            assert (await control.post("/_control/faults", json=fault)).status_code < 300
    bulk.start()
    recovery.start()
    try:
        # The bulk's calls run FMS_MAX_CONCURRENCY at a time, each at most one call's time.
        bulk_seconds = -(-len(ids) // 8) * call_seconds(bulk.settings.fms)
        async with httpx.AsyncClient(timeout=bulk_seconds, headers=headers()) as client:
            r = await client.post(
                f"{bulk.url}/api/fms/bulk-create-vehicle-requests", json={"assignment_ids": ids}
            )
            assert r.status_code == 200, r.text
            assert r.json()["failed"] >= 150  # FMS answered nothing: the outcomes are unknown
        async with httpx.AsyncClient(base_url=simulator.url) as control:
            await control.delete("/_control/faults")
        in_flight = await db_rows(dsn, IN_FLIGHT)
        within = settle_seconds(recovery.settings.recovery, recovery.settings.fms, operations=len(in_flight))
        await until(nothing_in_flight(dsn), within=within, what="recovery settling the unknown creates")
    finally:
        bulk.stop()
        recovery.stop()
    held = await no_orphan_nor_duplicate(dsn, simulator.url)
    assert len(held) >= 50  # the acted-on creates were found and linked
    live = await db_rows(dsn, "SELECT count(*) AS n FROM fms_holders WHERE lease_until > now()")
    assert live == [{"n": 0}]  # both processes gave their hold up when they stopped


async def test_a_process_stopped_mid_bulk_while_another_runs_recovery_leaves_no_orphan(
    pg_database_factory: DatabaseFactory, simulator: SimulatorThread
) -> None:
    """SIGTERM mid-bulk: queued calls are not sent, calls under way end (or are cut off and their lease
    runs a quiet time); the other process's recovery never takes over a call FMS may still act on."""
    dsn, seeded = await seeded_database(pg_database_factory, weeks=10)
    ids = seeded[:100]
    async with httpx.AsyncClient(base_url=simulator.url) as control:
        await control.post("/_control/faults", json={"latency_ms": 300})  # calls under way at SIGTERM
    fast = {"FMS_TIMEOUT_SECONDS": "1", "FMS_CONNECT_TIMEOUT_SECONDS": "1", "FMS_LOOKUP_ENABLED": "true"}
    fast |= {"RECOVERY_STALE_AFTER_SECONDS": "3", "SHUTDOWN_TIMEOUT_SECONDS": "1"}
    bulk = ServiceProcess(dsn, simulator.url, {**fast, "RECOVERY_ENABLED": "false"}).start()
    recovery = ServiceProcess(
        dsn, simulator.url, {**fast, "RECOVERY_ENABLED": "true", "RECOVERY_INTERVAL_SECONDS": "0.2"}
    ).start()
    try:
        bulk_seconds = -(-len(ids) // 8) * call_seconds(bulk.settings.fms)
        async with httpx.AsyncClient(timeout=bulk_seconds, headers=headers()) as client:
            answer = asyncio.create_task(
                client.post(f"{bulk.url}/api/fms/bulk-create-vehicle-requests", json={"assignment_ids": ids})
            )
            await until(calls_under_way(dsn, []), within=call_seconds(bulk.settings.fms), what="a call")
            assert bulk.proc is not None
            bulk.proc.send_signal(signal.SIGTERM)
            stopped = await asyncio.to_thread(
                bulk.proc.wait, stop_seconds(bulk.settings, embedded_postgres=False)
            )
            r = await answer
        assert stopped in (0, -signal.SIGTERM)
        assert r.status_code == 200, r.text
        report = r.json()
        assert report["failed"] > 0  # the queue was not sent
        assert report["succeeded"] < len(ids)
        in_flight = await db_rows(dsn, IN_FLIGHT)
        within = settle_seconds(recovery.settings.recovery, recovery.settings.fms, operations=len(in_flight))
        await until(nothing_in_flight(dsn), within=within, what="recovery settling what the stop left")
    finally:
        bulk.stop()
        recovery.stop()
    await no_orphan_nor_duplicate(dsn, simulator.url)
    not_sent = await db_rows(dsn, "SELECT count(*) AS n FROM fms_operations WHERE outcome = 'not_sent'")
    assert int(str(not_sent[0]["n"])) > 0  # audited as never sent
