"""CsvSource contract: the bytes of one report in order, in bounded chunks; SourceUnavailable else."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest

from application.port_errors import SourceUnavailable
from application.sync.ports import CsvSource

# Larger than one chunk of every adapter, so that the order of chunks is checked too.
BODY = b"vehicle_id,vin\n" + b"".join(b"%d,VIN%013d\n" % (i, i) for i in range(100_000))


@dataclass
class SourceHarness:
    """Makes a source holding `body`, and one whose bytes cannot be read."""

    holding: Callable[[bytes], Awaitable[CsvSource]]
    unreadable: Callable[[], Awaitable[CsvSource]]


async def read_all(source: CsvSource) -> tuple[bytes, int]:
    """Every byte of the source, and the largest chunk it gave."""
    chunks = [chunk async for chunk in source.chunks()]
    return b"".join(chunks), max((len(c) for c in chunks), default=0)


class CsvSourceContract:
    """Subclasses provide `sources`, a SourceHarness."""

    @pytest.fixture
    def sources(self) -> SourceHarness:
        """Overridden by each adapter's subclass."""
        raise NotImplementedError

    async def test_the_bytes_arrive_whole_and_in_order_in_bounded_chunks(
        self, sources: SourceHarness
    ) -> None:
        data, largest = await read_all(await sources.holding(BODY))
        assert data == BODY
        assert largest < len(BODY)  # never all at once

    async def test_an_empty_file_gives_no_bytes(self, sources: SourceHarness) -> None:
        data, _ = await read_all(await sources.holding(b""))
        assert data == b""

    async def test_a_source_that_cannot_be_read_raises_source_unavailable(
        self, sources: SourceHarness
    ) -> None:
        source = await sources.unreadable()
        with pytest.raises(SourceUnavailable):
            await read_all(source)

    async def test_its_location_is_a_plain_description(self, sources: SourceHarness) -> None:
        location = (await sources.holding(BODY)).location
        assert location
        assert "secret" not in location
