"""The CsvSource contract against every adapter: a file, an upload, a URL (httpx, mocked transport)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from adapters.csv_file.source import FileCsvSource, UploadedCsvSource
from adapters.csv_http.source import DownloadLimits, HttpCsvSource
from application.sync.ports import CsvSource
from tests.contract.csv_source_contract import CsvSourceContract, SourceHarness


class TestFileCsvSource(CsvSourceContract):
    """A report file on disk."""

    @pytest.fixture
    def sources(self, tmp_path: Path) -> SourceHarness:
        """Files in the test's directory; a missing one cannot be read."""

        async def holding(body: bytes) -> CsvSource:
            path = tmp_path / "report.csv"
            path.write_bytes(body)
            return FileCsvSource(path)

        async def unreadable() -> CsvSource:
            return FileCsvSource(tmp_path / "missing.csv")

        return SourceHarness(holding, unreadable)


class TestUploadedCsvSource(CsvSourceContract):
    """An upload, read through the web framework's read(size)."""

    @pytest.fixture
    def sources(self) -> SourceHarness:
        """In-memory uploads; a failing read cannot be read."""

        async def holding(body: bytes) -> CsvSource:
            buffer = io.BytesIO(body)

            async def read(size: int) -> bytes:
                return buffer.read(size)

            return UploadedCsvSource(read, "report.csv")

        async def unreadable() -> CsvSource:
            async def read(size: int) -> bytes:
                raise OSError("the spooled upload is gone")

            return UploadedCsvSource(read, "report.csv")

        return SourceHarness(holding, unreadable)


class TestHttpCsvSource(CsvSourceContract):
    """A URL, read with httpx (the transport answers in-process); the token in the query stays out."""

    @pytest.fixture
    async def sources(self) -> AsyncIterator[SourceHarness]:
        """A report at /report.csv; /gone.csv answers 404."""
        body = {"value": b""}

        def answer(request: httpx.Request) -> httpx.Response:
            if request.url.path == "/report.csv":
                return httpx.Response(200, content=body["value"])
            return httpx.Response(404)

        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:

            async def holding(data: bytes) -> CsvSource:
                body["value"] = data
                return HttpCsvSource(
                    client, "https://fms.example.com/report.csv?token=secret", limits=DownloadLimits()
                )

            async def unreadable() -> CsvSource:
                return HttpCsvSource(client, "https://fms.example.com/gone.csv", limits=DownloadLimits())

            yield SourceHarness(holding, unreadable)
