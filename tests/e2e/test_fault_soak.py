"""A short fault soak in the default suite (the full one: `python -m bench.fault_soak --operations 1000`)."""

from __future__ import annotations

from bench.fault_soak import run_soak

from tests.pg_support import DatabaseFactory


async def test_short_soak_leaves_no_orphan_duplicate_or_lost_assignment(
    pg_database_factory: DatabaseFactory,
) -> None:
    result = await run_soak(await pg_database_factory(), operations=150, concurrency=6, seed=11)
    assert result.http_calls > 100  # the soak really talked to FMS
    assert sum(n for outcome, n in result.outcomes.items() if outcome.endswith(": ok")) > 50
    assert (result.unsettled, result.orphans, result.duplicates, result.missing_in_fms) == (0, 0, 0, 0)
    assert result.lost_assignments == 0
    assert result.audited_calls >= result.http_calls
