"""Benchmark: chain saves at the size limits against the real service (issue 11; docs/benchmarks.md).

    .venv/bin/python bench/chain_save.py [--repeat 10]

The service's own Litestar app (create_app of the real container) is served by uvicorn in this
process, on embedded PostgreSQL in a temporary directory under /tmp, with the in-memory FMS sandbox
(chain saves never call FMS). A ticker task on the service's event loop records how late each 5 ms
sleep wakes up: the longest lateness is the longest stall of the loop. bench/chain_drive.py, in a
process of its own, sends the chains and polls /healthz every 10 ms throughout. Each phase is printed
beside its target and a floor: /healthz when idle, and the same clash count done by PostgreSQL alone
(one hand-written SQL query over the same 200 slots) and by the domain sweep alone.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import uvicorn
from bench_env import _free_port
from loop_probes import GcPauses, StallTicker

from application.ports import UnitOfWorkFactory
from application.records import Office
from domain.errors import Booking
from domain.overlaps import find_clashes
from domain.reference import Partner, Vehicle
from entrypoints.cli.heap import freeze_startup_objects
from entrypoints.cli.main import reachable_data_dir
from entrypoints.http.app import create_app
from entrypoints.settings.service import Settings
from entrypoints.wiring.container import build_container, resolve
from entrypoints.wiring.logging_setup import configure_logging

OFFICE, PERSON, VIN = "Los Angeles", 3001, "BENCHCHAIN000001"
WEEK = date(2030, 1, 7)  # the week chain_drive.py's clashing chains use
DRIVER = Path(__file__).with_name("chain_drive.py")
SQL_CLASHES = """
WITH s(i, a, b) AS (SELECT * FROM unnest($1::int[], $2::date[], $3::date[]))
SELECT (SELECT count(*) FROM s JOIN assignments x
          ON x.vin = $4 AND NOT x.removed AND x.start_day < s.b AND s.a < x.end_day)
     + (SELECT count(*) FROM s s1 JOIN s s2 ON s2.i < s1.i AND s2.a < s1.b AND s1.a < s2.b)
"""


async def seed(factory: UnitOfWorkFactory) -> None:
    """One office, one vehicle, one partner."""
    async with factory() as uow:
        await uow.reference.replace_offices([Office(OFFICE)])
        await uow.reference.replace_vehicles([Vehicle(VIN, OFFICE, fms_vehicle_id=990001, make="Audi")])
        await uow.reference.replace_partners([Partner(PERSON, OFFICE, "Rivera, Alex")])


async def floors(pool: Any, repeat: int) -> dict[str, float]:
    """The same 200-slot clash count by PostgreSQL alone and by the domain sweep alone (medians, ms)."""
    end = WEEK + timedelta(days=7)
    args = (list(range(200)), [WEEK] * 200, [end] * 200, VIN)
    sql = []
    for _ in range(repeat):
        started = time.perf_counter()
        count = await pool.fetchval(SQL_CLASHES, *args)
        sql.append(time.perf_counter() - started)
    new = [Booking(VIN, WEEK, end, f"slot {i + 1}") for i in range(200)]
    sweep = []
    for _ in range(repeat):
        started = time.perf_counter()
        report = find_clashes(new, [Booking(VIN, WEEK, end, "the first save")])
        sweep.append(time.perf_counter() - started)
    assert report.total == count, (report.total, count)
    return {
        "sql_ms": statistics.median(sql) * 1000,
        "sweep_ms": statistics.median(sweep) * 1000,
        "count": float(count),
    }


def report(figures: dict[str, Any], ticker: StallTicker, floor: dict[str, float]) -> None:
    """Print every phase beside its target and floor."""
    idle, load = figures["healthz_idle"], figures["healthz_under_load"]
    print(f"{'phase':<46}{'median':>9}{'p99':>9}{'max':>9}{'loop stall':>12}  target / floor")
    targets = {"409": "< 500 ms", "413": "413", "(saved)": "(no target)", "-> 200": "(setup)"}
    for name, p in figures["phases"].items():
        stall = ticker.longest(*p["wall"]) * 1000
        target = next((t for key, t in targets.items() if name.endswith(key)), "")
        extra = (
            f"; floor: SQL {floor['sql_ms']:.1f} ms, sweep {floor['sweep_ms']:.2f} ms"
            if "409" in name
            else ""
        )
        print(
            f"{name:<46}{p['median_ms']:>7.1f}ms{p['p99_ms']:>7.1f}ms{p['max_ms']:>7.1f}ms"
            f"{stall:>10.1f}ms  {target}{extra}  (body {p['body_bytes']:,} B, answer {p['answer_bytes']:,} B)"
        )
    print(
        f"{'/healthz during all phases':<46}{load['median_ms']:>7.1f}ms{load['p99_ms']:>7.1f}ms"
        f"{load['max_ms']:>7.1f}ms{'':>12}  < 50 ms; floor: idle median {idle['median_ms']:.1f} ms, "
        f"max {idle['max_ms']:.1f} ms ({load['n']} polls)"
    )
    print(
        f"409 lists {figures['conflicts_listed']} of conflict_count {figures['conflict_count']} "
        f"(SQL count {floor['count']:.0f}); longest event-loop stall after warm-up "
        f"{ticker.longest(figures['measured_from']) * 1000:.1f} ms (target < 100 ms); "
        f"during start-up and warm-up {ticker.longest(0, figures['measured_from']) * 1000:.1f} ms"
    )


async def bench(repeat: int) -> None:
    """Start the service, drive it from another process, print the figures."""
    data_dir = reachable_data_dir(Path(tempfile.mkdtemp(prefix="bench-chain-", dir="/tmp")))
    port = _free_port()
    env = {"DATA_DIR": str(data_dir), "PORT": str(port), "FMS_SANDBOX": "memory", "DEMO_DATA": "false"}
    env |= {"RECOVERY_ENABLED": "false", "LOG_LEVEL": "warning", "LOG_FORMAT": "json"}
    settings = Settings.from_env(env)
    configure_logging(settings.log_level, settings.log_format)
    container = build_container(settings)

    async def ready() -> None:  # as `serve` does: the reference data, then the start-up objects frozen
        await seed(await resolve(container.uow_factory))
        freeze_startup_objects()

    server = uvicorn.Server(
        uvicorn.Config(create_app(container, on_ready=[ready]), port=port, log_config=None, access_log=False)
    )
    serving = asyncio.create_task(server.serve())
    ticker, pauses = StallTicker(), GcPauses()
    ticking = asyncio.create_task(ticker.run())
    try:
        while not server.started:  # noqa: ASYNC110 (uvicorn offers no event to wait on)
            await asyncio.sleep(0.05)
        url = f"http://127.0.0.1:{port}"
        gc.callbacks.append(pauses)
        command = [sys.executable, str(DRIVER), url, VIN, str(PERSON), OFFICE, "--repeat", str(repeat)]
        driver = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE)
        out, _ = await driver.communicate()
        if driver.returncode != 0:
            raise RuntimeError("the driver failed")
        floor = await floors(await resolve(container.database), repeat)
        gc.callbacks.remove(pauses)
        report(json.loads(out), ticker, floor)
        print(f"longest garbage-collector pauses while driven: {pauses}")
    finally:
        ticking.cancel()
        server.should_exit = True
        await serving
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=10, help="saves per phase (1 to 12)")
    asyncio.run(bench(parser.parse_args().repeat))


if __name__ == "__main__":
    main()
