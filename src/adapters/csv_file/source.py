"""FileCsvSource, FolderReportSources and UploadedCsvSource: report files from disk or an upload."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

from application.port_errors import SourceUnavailable
from application.sync.ports import CsvSource
from application.sync.records import ReportName

CHUNK_BYTES = 1024 * 1024


class FileCsvSource:
    """A report file on disk, read in chunks off the event loop."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.location = str(path)

    async def chunks(self) -> AsyncIterator[bytes]:
        """The file's bytes; SourceUnavailable when it cannot be opened or read."""
        try:
            handle = await asyncio.to_thread(self.path.open, "rb")
        except OSError as exc:
            raise SourceUnavailable(f"cannot open {self.path}: {exc.strerror or exc}") from exc
        try:
            while True:
                try:
                    chunk = await asyncio.to_thread(handle.read, CHUNK_BYTES)
                except OSError as exc:
                    raise SourceUnavailable(f"cannot read {self.path}: {exc.strerror or exc}") from exc
                if not chunk:
                    return
                yield chunk
        finally:
            handle.close()


class FolderReportSources:
    """Reports as files named after them in one folder (vehicles.csv, loan_history.csv ...)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, report: ReportName) -> Path:
        """Where the report's file is expected."""
        return self.folder / f"{report.value}.csv"

    def source(self, report: ReportName) -> CsvSource | None:
        """The report's file, or None when the folder has none."""
        path = self.path(report)
        return FileCsvSource(path) if path.is_file() else None

    def missing(self, report: ReportName) -> str:
        """Which file was looked for."""
        return f"not configured: no {self.path(report).name} in {self.folder}"


class UploadedCsvSource:
    """An uploaded file (already spooled by the web framework), read in chunks."""

    def __init__(self, read: Callable[[int], Awaitable[bytes]], filename: str | None) -> None:
        self._read = read
        self.location = f"upload {filename!r}" if filename else "upload"

    async def chunks(self) -> AsyncIterator[bytes]:
        """The uploaded bytes."""
        try:
            while chunk := await self._read(CHUNK_BYTES):
                yield chunk
        except OSError as exc:
            raise SourceUnavailable(f"cannot read the {self.location}: {exc}") from exc
