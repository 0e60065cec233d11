"""What the bulk benchmark runs against: embedded PostgreSQL, and the FMS simulator in its own process."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import httpx

from adapters.postgres.db import PgPool
from adapters.postgres.embedded import EmbeddedPostgres
from adapters.postgres.migrations import apply_migrations
from adapters.postgres.pool import create_pool

SIM_TOKEN = "bench-token-5d1c7a9e"
MEDIA_SCHEDULER = Path(sys.executable).with_name("media-scheduler")


class StatementCounter:
    """Counts the statements a pool's connections send (each one network round trip once prepared)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, record: object) -> None:
        """asyncpg's query logger callback."""
        self.count += 1

    async def settled(self) -> int:
        """The count once asyncpg's scheduled logger callbacks have run."""
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        return self.count


@asynccontextmanager
async def embedded_database(counter: StatementCounter) -> AsyncIterator[PgPool]:
    """A migrated database on an embedded server in a temporary directory under /tmp."""
    data_dir = Path(tempfile.mkdtemp(prefix="bench-bulk-pg-", dir="/tmp"))
    server = await asyncio.to_thread(EmbeddedPostgres.start, data_dir)

    async def init(conn: asyncpg.Connection) -> None:
        conn.add_query_logger(counter)

    try:
        try:
            pool = await create_pool(server.dsn, min_size=4, max_size=10, init=init)  # the service's pool
        except TypeError:  # a checkout from before create_pool took init (PYTHONPATH=<old src>)
            pool = await asyncpg.create_pool(server.dsn, min_size=4, max_size=10, init=init)
        try:
            await apply_migrations(pool)
            yield pool
        finally:
            await pool.close()
    finally:
        await asyncio.to_thread(server.stop)
        shutil.rmtree(data_dir, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@asynccontextmanager
async def simulator_process(latency_ms: int) -> AsyncIterator[str]:
    """`media-scheduler fms-sim` in a process of its own (as FMS is); yields its base URL."""
    port = _free_port()
    command = [str(MEDIA_SCHEDULER), "fms-sim", "--port", str(port), "--token", SIM_TOKEN]
    command += ["--latency-ms", str(latency_ms), "--first-id", "100000"]
    env = {**os.environ, "LOG_LEVEL": "warning"}
    quiet = asyncio.subprocess.DEVNULL
    process = await asyncio.create_subprocess_exec(*command, stdout=quiet, stderr=quiet, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url) as control:
            deadline = time.monotonic() + 20
            while True:
                try:
                    if (await control.get("/_control/requests")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.returncode is not None or time.monotonic() > deadline:
                    raise RuntimeError("the FMS simulator did not start")
                await asyncio.sleep(0.1)
        yield url
    finally:
        process.terminate()
        await process.wait()


async def register_vehicles(url: str, vehicles: list[tuple[int, str]]) -> None:
    """Tell the simulator which (vehicle_id, vin) the bench's reference data holds."""
    specs = [{"vehicle_id": vehicle_id, "vin": vin, "make": "Audi"} for vehicle_id, vin in vehicles]
    async with httpx.AsyncClient(base_url=url) as control:
        (await control.post("/_control/vehicles", json=specs)).raise_for_status()
