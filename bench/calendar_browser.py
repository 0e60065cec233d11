"""Benchmark: the calendar page with 1,000 vehicles x 126 days in Chromium, and the free-vehicles read.

    .venv/bin/python bench/calendar_browser.py [--vehicles 1000] [--repeat 20]

The service's own app (create_app of the real container) is served by uvicorn in this process, on
embedded PostgreSQL in a temporary directory under /tmp, with the in-memory FMS sandbox. One office
gets --vehicles vehicles, each with a loan-history row, a current activity and three assignments in
the window. Playwright drives Debian's Chromium (CHROMIUM_PATH or `chromium` on PATH) and measures:
first render (navigation to the first rows drawn, every read included), then a scroll through every
row (one viewport per animation frame, each frame's rows drawn before the next step). The
free-vehicles read is timed over HTTP for a one-week range (median and p95 of --repeat calls).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import structlog
import uvicorn
from playwright.async_api import async_playwright

sys.path[:0] = [str(Path(__file__).parents[1]), str(Path(__file__).parents[1] / "src")]

from adapters.postgres.embedded import EmbeddedPostgres  # noqa: E402
from application.ports import UnitOfWorkFactory  # noqa: E402
from application.records import Office  # noqa: E402
from domain.assignment import Assignment  # noqa: E402
from domain.reference import Activity, Partner, Vehicle  # noqa: E402
from domain.values import Status  # noqa: E402
from entrypoints.http.app import create_app  # noqa: E402
from entrypoints.settings.fms import FmsSettings  # noqa: E402
from entrypoints.settings.service import RecoverySettings, Settings  # noqa: E402
from entrypoints.wiring.container import build_container, resolve  # noqa: E402
from tests.browser.support import chromium_path  # noqa: E402
from tests.process_support import free_port  # noqa: E402

OFFICE = "Bench City"


async def seed(factory: UnitOfWorkFactory, count: int, today: date) -> None:
    vehicles = [Vehicle(f"BENCH{i:012d}", OFFICE, 100000 + i, "Audi", f"Model {i % 7}") for i in range(count)]
    partners = [Partner(person_id=5000 + p, office=OFFICE, name=f"Partner {p:02d}") for p in range(40)]
    history, current = [], []
    for i, v in enumerate(vehicles):
        p = partners[i % 40]
        history.append(
            Activity(
                900000 + i,
                v.vin,
                today - timedelta(30),
                today - timedelta(23),
                p.person_id,
                "Media Loan",
                p.name,
                OFFICE,
                "Audi",
                v.model,
            )
        )
        current.append(
            Activity(
                800000 + i,
                v.vin,
                today - timedelta(3),
                today + timedelta(4),
                p.person_id,
                "Media Loan",
                p.name,
                OFFICE,
            )
        )
    async with factory() as uow:
        await uow.reference.replace_offices([Office(OFFICE)])
        await uow.reference.replace_vehicles(vehicles)
        await uow.reference.replace_partners(partners)
        await uow.reference.replace_loan_history(history)
        await uow.reference.replace_current_activities(current)
        for i, v in enumerate(vehicles):
            for week in range(3):
                start = today + timedelta(days=5 + 9 * week + i % 3)
                status = Status.MANUAL if week == 1 else Status.PLANNED
                p = partners[(i + week) % 40]
                await uow.assignments.add(
                    Assignment(
                        vin=v.vin,
                        person_id=p.person_id,
                        office=OFFICE,
                        start_day=start,
                        end_day=start + timedelta(7),
                        status=status,
                        partner_name=p.name,
                        make="Audi",
                        model=v.model,
                    )
                )


async def browse(base: str, executable: str) -> tuple[float, float, int, int]:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        page = await browser.new_page(viewport={"width": 1400, "height": 900})
        began = time.perf_counter()
        await page.goto(f"{base}/?office={OFFICE.replace(' ', '%20')}")
        await page.wait_for_selector("body[data-loaded=true] .row .bar")
        first = time.perf_counter() - began
        scroll = await page.evaluate("""async () => {
            const root = document.getElementById('timeline');
            const frame = () => new Promise(r => requestAnimationFrame(() => r()));
            const began = performance.now(); let steps = 0; let most = 0;
            while (root.scrollTop + root.clientHeight < root.scrollHeight - 1) {
                root.scrollTop += root.clientHeight; await frame(); await frame(); steps += 1;
                most = Math.max(most, document.querySelectorAll('#timeline .row').length);
            }
            return [performance.now() - began, steps, most];
        }""")
        await browser.close()
    return first, scroll[0] / 1000, int(scroll[1]), int(scroll[2])


async def main(count: int, repeat: int) -> None:
    logging.disable(logging.INFO)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    executable = chromium_path()
    if executable is None:
        raise SystemExit("no Chromium: apt-get install chromium (or set CHROMIUM_PATH)")
    data_dir = Path(tempfile.mkdtemp(prefix="bench-calendar-", dir="/tmp"))
    server = await asyncio.to_thread(EmbeddedPostgres.start, data_dir)
    try:
        settings = Settings(
            storage_backend="postgres",
            database_url=server.dsn,
            fms=FmsSettings(sandbox_latency_ms=0),
            demo_data=False,
            recovery=RecoverySettings(enabled=False),
        )
        container = build_container(settings)
        port = free_port()
        config = uvicorn.Config(create_app(container), host="127.0.0.1", port=port, log_level="warning")
        web = uvicorn.Server(config)
        task = asyncio.create_task(web.serve())
        while not web.started:  # uvicorn offers no event to wait on  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        today = date.today()
        await seed(await resolve(container.uow_factory), count, today)
        base = f"http://127.0.0.1:{port}"
        first, scroll, steps, most = await browse(base, executable)
        timings = []
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            params = {
                "office": OFFICE,
                "start_date": str(today + timedelta(40)),
                "end_date": str(today + timedelta(47)),
            }
            for _ in range(repeat):
                began = time.perf_counter()
                r = await client.get("/api/calendar/free-vehicles", params=params)
                timings.append(time.perf_counter() - began)
                r.raise_for_status()
            free = r.json()["count"]
        timings.sort()
        print(f"vehicles {count}, days 126, bars {count * 5}")
        print(f"first render: {first * 1000:.0f} ms (navigation to rows drawn, reads included)")
        print(
            f"scroll through every row: {scroll * 1000:.0f} ms in {steps} viewport steps, "
            f"{scroll / max(steps, 1) * 1000:.1f} ms per step; at most {most} rows in the DOM"
        )
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(
            f"free-vehicles (one week, {free} free of {count}): "
            f"median {statistics.median(timings) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms over {repeat} calls"
        )
        web.should_exit = True
        await task
    finally:
        await asyncio.to_thread(server.stop)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vehicles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(main(args.vehicles, args.repeat))
