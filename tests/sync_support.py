"""Helpers for the sync tests: the real-format report fixtures and in-memory CSV sources."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from application.port_errors import SourceUnavailable
from application.sync.parser import ReportParser
from application.sync.ports import CsvSource
from application.sync.records import LoadPolicy, ReportName
from application.sync.specs import SPECS

REPORTS_DIR = Path(__file__).parent / "fixtures" / "reports"


def fixture_bytes(report: ReportName) -> bytes:
    """The bytes of a report's real-format fixture file."""
    return (REPORTS_DIR / f"{report.value}.csv").read_bytes()


class BytesSource:
    """A CSV source over bytes, handed out in small chunks (so records straddle chunk boundaries)."""

    def __init__(self, data: bytes, *, chunk: int = 37, fail_after: int | None = None) -> None:
        self.data = data
        self.chunk = chunk
        self.fail_after = fail_after
        self.location = "test bytes"

    async def chunks(self) -> AsyncIterator[bytes]:
        """The bytes; SourceUnavailable after fail_after bytes when set (a cut connection)."""
        for start in range(0, len(self.data), self.chunk):
            if self.fail_after is not None and start >= self.fail_after:
                raise SourceUnavailable("connection reset by peer")
            await asyncio.sleep(0)  # as network I/O would: other tasks run meanwhile
            yield self.data[start : start + self.chunk]


class GatedSource:
    """A source that says when it is first read, then sends nothing until opened (a sync held mid-run)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.location = "gated test bytes"
        self.reading = asyncio.Event()
        self.gate = asyncio.Event()

    async def chunks(self) -> AsyncIterator[bytes]:
        """The bytes, once the gate is open."""
        self.reading.set()
        await self.gate.wait()
        yield self.data


class DictSources:
    """ReportSources over a dict of sources."""

    def __init__(self, sources: dict[ReportName, CsvSource]) -> None:
        self.sources = sources

    def source(self, report: ReportName) -> CsvSource | None:
        """The source given for the report."""
        return self.sources.get(report)

    def missing(self, report: ReportName) -> str:
        """Not given."""
        return f"not configured: no source for {report}"


def fixture_sources() -> DictSources:
    """Every report from its fixture file."""
    return DictSources({r: BytesSource(fixture_bytes(r)) for r in ReportName})


async def _chunks(data: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def parse(
    report: ReportName, data: bytes, size: int = 7, **policy: Any
) -> tuple[list[Any], ReportParser]:
    """Typed rows and the parser (for its stats), fed in chunks of `size` bytes."""
    parser = ReportParser(SPECS[report], LoadPolicy(**policy))
    records = [r async for batch in parser.records(_chunks(data, size)) for r in batch]
    return [SPECS[report].row(r) for r in records], parser
