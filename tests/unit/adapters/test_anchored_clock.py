"""AnchoredClock reads the source's time (the database's), whatever this process's own wall clock says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from adapters.anchored_clock import AnchoredClock
from adapters.postgres.clock import PostgresClock
from adapters.postgres.db import PgPool

SOURCE = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class Monotonic:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


def test_time_is_the_source_s_carried_forward_by_the_monotonic_clock() -> None:
    monotonic = Monotonic()
    clock = AnchoredClock(monotonic)
    clock.anchor(SOURCE.astimezone(timezone(timedelta(hours=-5))), asked_at=1000.0, answered_at=1000.2)
    monotonic.seconds = 1030.1
    assert clock.now() == SOURCE + timedelta(seconds=30)  # from the middle of the round trip
    assert clock.now().tzinfo == UTC
    monotonic.seconds = 1000.1 + 86_400
    assert clock.today() == (SOURCE + timedelta(days=1)).date()


def test_each_anchor_replaces_the_last() -> None:
    monotonic = Monotonic()
    clock = AnchoredClock(monotonic)
    clock.anchor(SOURCE, asked_at=1000.0, answered_at=1000.0)
    monotonic.seconds = 1010.0
    clock.anchor(SOURCE + timedelta(seconds=9), asked_at=1010.0, answered_at=1010.0)  # this one ran fast
    assert clock.now() == SOURCE + timedelta(seconds=9)


@pytest.mark.postgres
async def test_the_postgres_clock_reads_the_database_s_time(pg_pool: PgPool) -> None:
    monotonic = Monotonic()
    clock = PostgresClock(pg_pool, monotonic)
    before: datetime = await pg_pool.fetchval("SELECT clock_timestamp()")
    await clock.sync()
    after: datetime = await pg_pool.fetchval("SELECT clock_timestamp()")
    assert before <= clock.now() <= after  # the monotonic clock did not move: the anchor itself
    monotonic.seconds += 45
    assert before + timedelta(seconds=45) <= clock.now() <= after + timedelta(seconds=45)
