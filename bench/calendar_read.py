"""GET /api/calendar/activity of the real app against a hand-written floor, side by side, with wrk.

Both servers run under uvicorn in processes of their own pinned to CPU 1 (taskset), one at a time
against the same embedded PostgreSQL; wrk (pinned to CPU 0) drives each in turn for several rounds.
The real app is `media-scheduler serve` with its production middleware (FMS_SANDBOX=memory, demo data);
the floor is bench/calendar_floor.py. --scale 10 copies the office's vehicles, loans and assignments
ten times (a busy office). The two answers are checked byte-for-byte equal first.

    .venv/bin/python bench/calendar_read.py [--scale 10] [--rounds 3] [--seconds 5]
        [--log-level info] [--auth]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import asyncpg
import httpx
import jwt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_env import _free_port
from bench.calendar_floor import FLOOR_SQL

from adapters.postgres.embedded import EmbeddedPostgres
from adapters.postgres.migrations import apply_migrations
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from entrypoints.wiring.demo_data import load_demo_data

OFFICE = "Los Angeles"
AUTH_ENV = {
    "AUTH_JWT_SECRET": "bench-secret-" + "x" * 40,
    "AUTH_JWT_ISSUER": "https://fms.bench",
    "AUTH_JWT_AUDIENCE": "media-scheduler",
}


def bearer_token() -> str:
    """A scheduler's token the app takes (AUTH_ENV), valid for the bench's run."""
    now = int(time.time())
    claims = {"sub": "bench", "roles": ["scheduler"], "iat": now, "exp": now + 3000}
    claims |= {"iss": AUTH_ENV["AUTH_JWT_ISSUER"], "aud": AUTH_ENV["AUTH_JWT_AUDIENCE"]}
    return jwt.encode(claims, AUTH_ENV["AUTH_JWT_SECRET"], algorithm="HS256")


BIN = Path(sys.executable).parent


async def prepare(dsn: str, scale: int, today: date) -> None:
    """Migrate, load the demo data, copy the office scale-1 more times; time the two queries alone."""
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=2)
    try:
        await apply_migrations(pool)
        await load_demo_data(PostgresUnitOfWorkFactory(pool), today)
        async with pool.acquire() as conn:
            await copy_office(conn, scale)
            await conn.execute("ANALYZE")
            args = (today - timedelta(42), today + timedelta(84), OFFICE)
            try:  # absent from a checkout before the read model (PYTHONPATH=<old src> for "before")
                from adapters.postgres.calendar_view import BARS_SQL
            except ImportError:
                return
            old = (None, None) if "$5" in BARS_SQL else ()  # before: every filter a parameter
            for name, sql, more in (("read model", BARS_SQL, old), ("floor", FLOOR_SQL, ())):
                times = []
                for _ in range(30):
                    began = time.perf_counter()
                    await conn.fetch(sql, *args, *more)
                    times.append(time.perf_counter() - began)
                print(f"{name} query alone: median {statistics.median(times) * 1000:.2f} ms")
    finally:
        await pool.close()


def _copy_sql(table: str, cols: list[str], k: int) -> str:
    vin = f"substr(vin, 1, 9) || '{k:02d}' || substr(vin, 12)"
    exprs = [vin if c == "vin" else f"{c} + {k * 1_000_000}" if c == "activity_id" else c for c in cols]
    where = "vin IN (SELECT vin FROM base_vins)"  # the original rows only, not earlier copies
    return f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(exprs)} FROM {table} WHERE {where}"


async def copy_office(conn: asyncpg.Connection, scale: int) -> None:
    """The office's rows copied scale-1 times under new VINs (characters 10-11) and activity ids."""
    if scale <= 1:
        return
    await conn.execute("CREATE TEMP TABLE base_vins AS SELECT vin FROM vehicles WHERE office = $1", OFFICE)
    for table in ("vehicles", "loan_history", "current_activity", "assignments"):
        cols = [
            r["attname"]
            for r in await conn.fetch(
                "SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 "
                "AND NOT attisdropped AND attidentity = '' ORDER BY attnum",
                table,
            )
        ]
        for k in range(1, scale):
            sql = _copy_sql(table, cols, k)
            await conn.execute(sql)


def _spawn(kind: str, dsn: str, port: int, log_level: str, auth: bool) -> subprocess.Popen[bytes]:
    env = {**os.environ, "LOG_LEVEL": log_level, "LC_ALL": "C.UTF-8"}
    if kind == "app":
        env |= AUTH_ENV if auth else {}
        env |= {
            "DATABASE_URL": dsn,
            "PORT": str(port),
            "FMS_SANDBOX": "memory",
            "DEMO_DATA": "false",
            "RECOVERY_ENABLED": "false",
        }
        command = [str(BIN / "media-scheduler"), "serve"]
    else:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "bench.calendar_read:_floor_from_env",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ]
        env |= {"FLOOR_DSN": dsn, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    profile = os.environ.get("BENCH_PROFILE")  # a path: py-spy records the app there, the floor in .floor
    if profile:
        out = profile if kind == "app" else f"{profile}.floor"
        command = [str(BIN / "py-spy"), "record", "-r", "250", "-f", "raw", "-o", out, "--", *command]
    return subprocess.Popen(["taskset", "-c", "1", *command], env=env, stdout=subprocess.DEVNULL)


def _floor_from_env():  # type: ignore[no-untyped-def]  # uvicorn --factory
    from bench.calendar_floor import floor_app

    return floor_app(os.environ["FLOOR_DSN"])


def _wait(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not start")


def wrk(url: str, seconds: int, connections: int, headers: dict[str, str]) -> float:
    """Requests per second of wrk (one thread, pinned to CPU 0) against url."""
    sent = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    out = subprocess.run(
        ["taskset", "-c", "0", "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", *sent, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"wrk saw {errors.group(1)} error answers from {url}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]


def main(scale: int, rounds: int, seconds: int, connections: int, log_level: str, auth: bool) -> None:
    """Prepare the data, start both servers, check their answers agree, drive each in turn."""
    data_dir = Path(tempfile.mkdtemp(prefix="bench-calread-", dir="/tmp"))
    server = EmbeddedPostgres.start(data_dir)
    today = date.today()
    servers: list[subprocess.Popen[bytes]] = []
    try:
        asyncio.run(prepare(server.dsn, scale, today))
        ports = {"app": _free_port(), "floor": _free_port()}
        servers = [_spawn(kind, server.dsn, port, log_level, auth) for kind, port in ports.items()]
        headers = {"Authorization": f"Bearer {bearer_token()}"} if auth else {}
        window = f"start_date={today - timedelta(42)}&end_date={today + timedelta(84)}"
        query = f"/api/calendar/activity?office=Los+Angeles&{window}"
        urls = {kind: f"http://127.0.0.1:{port}" for kind, port in ports.items()}
        for url in urls.values():
            _wait(url)
        bodies = {kind: httpx.get(url + query, headers=headers).content for kind, url in urls.items()}
        if bodies["app"] != bodies["floor"]:
            raise SystemExit("the floor's answer differs from the app's")
        items = httpx.get(urls["app"] + query, headers=headers).json()["counts"]["total"]
        size = f"{items} items, {len(bodies['app']):,} bytes"
        print(f"scale {scale}: {size}; wrk -t1 -c{connections} -d{seconds}s, servers on CPU 1")
        rates: dict[str, list[float]] = {"app": [], "floor": []}
        for r in range(rounds):
            for kind, url in urls.items():
                rates[kind].append(wrk(url + query, seconds, connections, headers))
            app, floor = rates["app"][-1], rates["floor"][-1]
            print(f"round {r + 1}: app {app:8.1f} req/s  floor {floor:8.1f} req/s  ratio {app / floor:.2f}")
        best = {k: max(v) for k, v in rates.items()}
        app, floor = best["app"], best["floor"]
        print(f"best of {rounds}: app {app:.1f} req/s, floor {floor:.1f} req/s, ratio {app / floor:.2f}")
    finally:
        for p in servers:
            p.send_signal(signal.SIGINT)
            p.wait()
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    # info: the app writes its access log line per request (to the bench's stderr; send it to a file)
    parser.add_argument("--log-level", default="warning", choices=("warning", "info"))
    # the app verifies a bearer JWT (HS256) on every call, as in production; the floor ignores it
    parser.add_argument("--auth", action="store_true")
    args = parser.parse_args()
    main(args.scale, args.rounds, args.seconds, args.connections, args.log_level, args.auth)
