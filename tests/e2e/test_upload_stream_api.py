"""End to end: an upload is refused before its content is read, and never held whole (issue 25, item 2).

The body is streamed to the app from a generator (the test never holds it either), in this loop; the
memory bound is the peak of tracemalloc over the request, not a time.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from entrypoints.http.app import create_app
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.service import Settings
from entrypoints.settings.sync import SyncSettings
from entrypoints.wiring.container import build_container
from tests.e2e.asgi_support import asgi_client

BOUNDARY = "issue25boundary"
CHUNK = 256 * 1024
BODY_BYTES = 64 * 1024 * 1024  # what a part may hold; the old route kept a part without filename whole
PEAK_BYTES = BODY_BYTES // 4  # the memory one upload may take at its peak, whatever its size
MAX_UPLOAD_MB = 96


@dataclass
class StreamedPart:
    """A multipart body of one part, yielded chunk by chunk; counts how much the app pulled."""

    disposition: str
    size: int = BODY_BYTES
    content: bytes = b"x"
    pulled: int = 0

    async def body(self) -> AsyncIterator[bytes]:
        """The part's headers, its content, the closing delimiter."""
        head = f"--{BOUNDARY}\r\nContent-Disposition: form-data; {self.disposition}\r\n"
        yield self._count(f"{head}Content-Type: text/csv\r\n\r\n".encode())
        block = (self.content * (CHUNK // len(self.content) + 1))[:CHUNK]
        for start in range(0, self.size, CHUNK):
            yield self._count(block[: min(CHUNK, self.size - start)])
        yield self._count(f"\r\n--{BOUNDARY}--\r\n".encode())

    def _count(self, chunk: bytes) -> bytes:
        self.pulled += len(chunk)
        return chunk


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """The sandbox service on memory, uploads up to MAX_UPLOAD_MB, served in this loop."""
    settings = Settings(
        storage_backend="memory",
        demo_data=False,
        fms=FmsSettings(sandbox="memory", sandbox_latency_ms=0),
        sync=SyncSettings(max_upload_bytes=MAX_UPLOAD_MB * 1024 * 1024),
    )
    async with asgi_client(create_app(build_container(settings))) as opened:
        yield opened


async def upload(client: httpx.AsyncClient, part: StreamedPart) -> tuple[httpx.Response, int]:
    """POST the streamed part to /ingest/vehicles; the answer and the peak of traced memory meanwhile."""
    tracemalloc.start()
    try:
        response = await client.post(
            "/ingest/vehicles",
            content=part.body(),
            headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
        )
        return response, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    "disposition",
    ['name="file"', 'name="other"; filename="v.csv"', 'name="other"'],
    ids=["file-without-filename", "other-field-with-filename", "other-field"],
)
async def test_a_part_other_than_the_file_is_refused_before_it_is_read(
    client: httpx.AsyncClient, disposition: str
) -> None:
    part = StreamedPart(disposition)
    response, peak = await upload(client, part)
    assert peak < PEAK_BYTES
    assert part.pulled <= 2 * CHUNK  # the headers and at most one chunk of content, of 64 MiB
    assert response.status_code == 400, response.text
    assert "`file`" in response.json()["detail"]


async def test_a_large_file_is_spooled_not_held_and_then_read(client: httpx.AsyncClient) -> None:
    # Not a report (a wrong header row): rejected after it was received whole, as every upload is.
    part = StreamedPart('name="file"; filename="vehicles.csv"', content=b"not,a,report\n")
    response, peak = await upload(client, part)
    assert response.status_code == 422, response.text
    assert part.pulled > BODY_BYTES
    assert peak < PEAK_BYTES


async def test_an_upload_over_the_limit_is_refused_at_the_limit(client: httpx.AsyncClient) -> None:
    part = StreamedPart('name="file"; filename="vehicles.csv"', size=2 * MAX_UPLOAD_MB * 1024 * 1024)
    response, peak = await upload(client, part)
    assert peak < PEAK_BYTES
    assert part.pulled <= MAX_UPLOAD_MB * 1024 * 1024 + 2 * CHUNK
    assert response.status_code == 413, response.text
