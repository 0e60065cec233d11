"""Benchmark: the full report sync before and after a change, beside `psql \\copy`, in one run.

Generates the six reports at --scale (default 100: ~100k vehicles, 1.1M loan history rows), serves them
over HTTP on 127.0.0.1, and in each round, on one embedded PostgreSQL: a full sync (the six reports in
load order) with the code at --before (a git revision, exported under /tmp) and with this checkout,
each in its own process, then `psql \\copy` of the loan history into an empty table with its three
indexes. Then the parser alone (no database, file in memory) of both, with csv.reader alone as the
floor, per cell. Prints the load average before and after.

    .venv/bin/python bench/sync_before_after.py --before 9460f7f [--scale 100] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 1024 * 1024


async def _sync(dsn: str, base_url: str, names: list[str]) -> tuple[dict[str, float], dict[str, int]]:
    import httpx

    from adapters.csv_http.source import HttpCsvSource
    from adapters.postgres.pool import create_pool
    from adapters.postgres.report_loader import PostgresReportLoader
    from application.sync.load import load_report
    from application.sync.records import LoadPolicy, ReportName
    from application.sync.specs import SPECS

    pool = await create_pool(dsn, min_size=1, max_size=4)
    seconds: dict[str, float] = {}
    loaded: dict[str, int] = {}
    try:
        loader = PostgresReportLoader(pool)
        async with httpx.AsyncClient(timeout=600) as client:
            for name in names:
                source = HttpCsvSource(client, f"{base_url}/{name}.csv")
                started = time.perf_counter()
                result = await load_report(
                    SPECS[ReportName(name)], source, loader=loader, policy=LoadPolicy(min_row_ratio=0.0)
                )
                seconds[name] = time.perf_counter() - started
                assert result.success, result.message
                loaded[name] = result.rows_loaded
    finally:
        await pool.close()
    return seconds, loaded


async def _parse(data: bytes) -> tuple[int, float, float]:
    from application.sync.parser import ReportParser
    from application.sync.records import LoadPolicy, ReportName
    from application.sync.specs import SPECS

    async def chunks() -> object:
        for start in range(0, len(data), CHUNK):
            yield data[start : start + CHUNK]

    parser = ReportParser(SPECS[ReportName.LOAN_HISTORY], LoadPolicy())
    started, cpu = time.perf_counter(), time.process_time()
    rows = 0
    async for batch in parser.records(chunks()):  # type: ignore[attr-defined]
        rows += len(batch)
    return rows, time.perf_counter() - started, time.process_time() - cpu


def _csv_floor(path: Path) -> tuple[int, float]:
    """csv.reader alone over the decoded file, in the parser's chunk size: no checks, no conversion."""
    data = path.read_bytes()
    started = time.process_time()
    rows = 0
    for start in range(0, len(data), CHUNK * 8):
        text = data[start : start + CHUNK * 8].decode("utf-8", errors="replace")
        rows += sum(1 for _ in csv.reader(io.StringIO(text, newline="\n")))
    return rows, time.process_time() - started


def child(args: argparse.Namespace) -> None:
    """Run one measurement with whatever code PYTHONPATH brings; print JSON."""
    import application

    where = str(Path(application.__file__).resolve().parent.parent)
    if args.what == "sync":
        seconds, loaded = asyncio.run(_sync(args.dsn, args.url, args.names))
        out: dict[str, object] = {"code": where, "seconds": seconds, "loaded": loaded}
    else:
        rows, seconds, cpu = asyncio.run(_parse(Path(args.file).read_bytes()))
        out = {"code": where, "rows": rows, "seconds": seconds, "cpu": cpu}
    print(json.dumps(out))


def _run_child(src: Path, *extra: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": f"{src}"}
    done = subprocess.run(
        [sys.executable, __file__, "child", *extra], env=env, check=True, capture_output=True, text=True
    )
    found: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["code"] == str(src), (found["code"], src)
    return found


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


REPORTS = [
    "vehicles",
    "media_partners",
    "approved_makes",
    "loan_history",
    "current_activity",
    "budget_spending",
]


def _export(revision: str, into: Path) -> Path:
    """The src folder of a git revision, exported under into (the checkout is left alone)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "src"], check=True, capture_output=True
    )
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into / "src"


def _rounds(versions: dict[str, Path], dsn: str, url: str, history: Path, rounds: int) -> None:
    """Full syncs before and after (alternating which goes first) and psql \\copy, round after round."""
    from sync_reports import psql_copy

    runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    copies, loaded = [], {}
    for number in range(1, rounds + 1):
        for label in ("before", "after") if number % 2 else ("after", "before"):
            found = _run_child(versions[label], "sync", "--dsn", dsn, "--url", url, "--names", *REPORTS)
            seconds = found["seconds"]
            assert isinstance(seconds, dict)
            runs[label].append(seconds)
            loaded[label] = found["loaded"]
            total, lh = sum(seconds.values()), seconds["loan_history"]
            print(
                f"round {number} {label}: full sync {total:.2f} s, loan history {lh:.2f} s (load {_load()})"
            )
        copies.append(psql_copy(dsn, history, indexed=True))
        print(f"round {number} psql \\copy loan history, 3 indexes: {copies[-1]:.2f} s (load {_load()})")
    print(f"rows loaded: {loaded}")
    print(f"\n{'':<8}{'full sync best':>16}{'loan history best':>20}{'x psql':>8}   full sync runs")
    for label in ("before", "after"):
        totals = ", ".join(f"{sum(r.values()):.2f}" for r in runs[label])
        best_total = min(sum(r.values()) for r in runs[label])
        best = min(r["loan_history"] for r in runs[label])
        print(f"{label:<8}{best_total:>16.2f}{best:>20.2f}{best / min(copies):>8.2f}   {totals}")
    shown = ", ".join(f"{c:.2f}" for c in copies)
    print(f"psql \\copy loan history (3 indexes): best {min(copies):.2f} s of {shown}")


def _per_cell(versions: dict[str, Path], history: Path, rows: int, rounds: int) -> None:
    """The parser alone on the loan history in memory, before and after (alternating which goes first),
    beside csv.reader alone; CPU seconds of the process."""
    cells = rows * 14
    times: dict[str, list[float]] = {"floor": [], "before": [], "after": []}
    for number in range(1, rounds + 1):
        times["floor"].append(_csv_floor(history)[1])
        for label in ("before", "after") if number % 2 else ("after", "before"):
            found = _run_child(versions[label], "parse", "--file", str(history))
            times[label].append(float(str(found["cpu"])))
        print(f"round {number} parser alone: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()))
    floor = min(times["floor"])
    print(
        f"\nparser alone, loan history in memory ({rows:,} rows x 14 cells), CPU seconds, best of {rounds}:"
    )
    print(f"  csv.reader alone (the floor): {floor:.2f} s, {floor / cells * 1e9:.0f} ns a cell")
    for label in ("before", "after"):
        best = min(times[label])
        shown = ", ".join(f"{t:.2f}" for t in times[label])
        print(f"  {label}: {best:.2f} s ({shown}), {best / cells * 1e9:.0f} ns a cell")
        beyond = (best - floor) / cells * 1e9
        print(f"    of which the checks and conversion beyond csv.reader: {beyond:.0f} ns a cell")


def main() -> None:
    """Generate, serve, and measure before and after."""
    sys.path.insert(0, str(ROOT / "src"))
    from sync_reports import serve, write_reports

    from adapters.postgres.embedded import EmbeddedPostgres
    from adapters.postgres.migrations import apply_migrations
    from adapters.postgres.pool import create_pool
    from fms_simulator.world import World

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="git revision of the code before")
    parser.add_argument("--scale", type=float, default=100.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="sync-before-after-", dir="/tmp"))
    print(f"load average at start: {_load()} ({os.cpu_count()} CPUs)")
    embedded = EmbeddedPostgres.start(workdir / "db", database="bench")
    try:
        versions = {"before": _export(args.before, workdir), "after": ROOT / "src"}
        folder = workdir / "reports"
        folder.mkdir()
        started = time.perf_counter()
        paths = write_reports(folder, World(seed=1, scale=args.scale), REPORTS)
        lines = {n: sum(1 for _ in p.open("rb")) for n, p in paths.items()}
        print(f"generated in {time.perf_counter() - started:.0f} s: {lines}")

        async def migrate() -> None:
            pool = await create_pool(embedded.dsn, min_size=1, max_size=1)
            await apply_migrations(pool)
            await pool.close()

        asyncio.run(migrate())
        server, url = serve(folder)
        try:
            _rounds(versions, embedded.dsn, url, paths["loan_history"], args.rounds)
        finally:
            server.shutdown()
        _per_cell(versions, paths["loan_history"], lines["loan_history"], args.rounds)
        print(f"load average at end: {_load()}")
    finally:
        embedded.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        sub = argparse.ArgumentParser()
        sub.add_argument("what", choices=["sync", "parse"])
        sub.add_argument("--dsn")
        sub.add_argument("--url")
        sub.add_argument("--names", nargs="*")
        sub.add_argument("--file")
        child(sub.parse_args(sys.argv[2:]))
    else:
        main()
