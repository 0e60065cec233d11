"""A report download has a total deadline and a byte cap (issue 25, item 2), against real local hosts.

A host sending a row every tenth of a second never trips the client's per-read timeout; only the
deadline ends it. The waits here are bounded by a multiple of the deadline under test.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx
import pytest

from adapters.csv_http.source import DownloadLimits, HttpCsvSource
from adapters.memory.report_loader import MemoryReportLoader
from adapters.memory.store import MemoryStore
from application.port_errors import SourceUnavailable
from application.sync.load import load_report
from application.sync.records import FailureKind, LoadPolicy, ReportName
from application.sync.specs import SPECS
from tests.sync_support import fixture_bytes

DEADLINE_SECONDS = 1.0
BOUND_SECONDS = 10 * DEADLINE_SECONDS
ROW_INTERVAL_SECONDS = DEADLINE_SECONDS / 10  # far below the per-read timeout: reads never time out
DRIP_ROWS = int(3 * BOUND_SECONDS / ROW_INTERVAL_SECONDS)  # the host ends on its own, long after the bound
Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def local_host(handler: Handler) -> AsyncIterator[str]:
    """An HTTP host on a free 127.0.0.1 port answering every connection with handler; its base URL."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            await handler(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client went away: what a cut-off download does
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


async def drip(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """The vehicles report's header, then one row every ROW_INTERVAL_SECONDS (for a long while)."""
    header, row = fixture_bytes(ReportName.VEHICLES).split(b"\n")[:2]
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nConnection: close\r\n\r\n" + header + b"\n")
    for _row in range(DRIP_ROWS):
        writer.write(row + b"\n")
        await writer.drain()
        await asyncio.sleep(ROW_INTERVAL_SECONDS)


def sending(size: int, *, announced: bool) -> Handler:
    """A host answering `size` bytes of CSV at once, with or without a Content-Length."""

    async def answer(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        length = f"Content-Length: {size}\r\n" if announced else "Connection: close\r\n"
        writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\n{length}\r\n".encode())
        for start in range(0, size, 64 * 1024):
            writer.write(b"x" * min(64 * 1024, size - start))
            await writer.drain()

    return answer


@asynccontextmanager
async def report_client() -> AsyncIterator[httpx.AsyncClient]:
    """A client as the service's: a per-read timeout far above the host's pace."""
    async with httpx.AsyncClient(timeout=httpx.Timeout(5 * DEADLINE_SECONDS), trust_env=False) as client:
        yield client


async def read_all(source: HttpCsvSource) -> int:
    """Every byte of the source; how many."""
    return sum([len(chunk) async for chunk in source.chunks()])


async def test_a_host_sending_a_row_at_a_time_is_cut_off_at_the_deadline_as_unavailable() -> None:
    limits = DownloadLimits(deadline_seconds=DEADLINE_SECONDS, max_bytes=64 * 1024 * 1024)
    async with local_host(drip) as base, report_client() as client:
        source = HttpCsvSource(client, f"{base}/vehicles.csv?token=secret", limits=limits)
        loader = MemoryReportLoader(MemoryStore())
        result = await asyncio.wait_for(
            load_report(SPECS[ReportName.VEHICLES], source, loader=loader, policy=LoadPolicy()), BOUND_SECONDS
        )
    assert not result.success
    assert result.failure is FailureKind.UNAVAILABLE
    assert "SYNC_HTTP_DEADLINE_SECONDS" in result.message
    assert "secret" not in result.message
    assert await loader.row_count(ReportName.VEHICLES) == 0


@pytest.mark.parametrize("announced", [True, False], ids=["content-length", "no-length"])
async def test_a_report_over_the_byte_cap_is_unavailable(announced: bool) -> None:
    limits = DownloadLimits(deadline_seconds=BOUND_SECONDS, max_bytes=256 * 1024)
    async with local_host(sending(4 * 1024 * 1024, announced=announced)) as base, report_client() as client:
        source = HttpCsvSource(client, f"{base}/vehicles.csv", limits=limits)
        with pytest.raises(SourceUnavailable, match="SYNC_MAX_DOWNLOAD_MB"):
            await asyncio.wait_for(read_all(source), BOUND_SECONDS)


async def test_a_report_within_the_limits_is_read_whole() -> None:
    limits = DownloadLimits(deadline_seconds=BOUND_SECONDS, max_bytes=256 * 1024)
    async with local_host(sending(256 * 1024, announced=True)) as base, report_client() as client:
        source = HttpCsvSource(client, f"{base}/vehicles.csv", limits=limits)
        assert await asyncio.wait_for(read_all(source), BOUND_SECONDS) == 256 * 1024
