"""Where the protocol's paths meet, on PostgreSQL against the simulator over HTTP (bench/seams_soak.py).

A bulk of 200 at concurrency 8 against an FMS that answers no call, with the smallest allowed lease
and the recovery worker running, people resolving by hand, and (in one run) the bulk's process
crashing: once FMS is healthy, nothing is orphaned, duplicated or left unsettled.
"""

from __future__ import annotations

import pytest
from bench.seams_soak import run_seams

from tests.pg_support import DatabaseFactory


@pytest.mark.parametrize("crash", [False, True])
async def test_long_bulk_queues_recovery_and_people_leave_no_orphan_or_duplicate(
    pg_database_factory: DatabaseFactory, crash: bool
) -> None:
    result = await run_seams(await pg_database_factory(), items=200, concurrency=8, seed=5, crash=crash)
    assert result.faults["hang"] + result.faults["commit_then_hang"] >= 100  # FMS really answered nothing
    assert result.recovery_passes > 5
    assert sum(n for k, n in result.outcomes.items() if k.startswith("resolved by hand")) > 0
    assert (result.unsettled, result.orphans, result.duplicates, result.missing_in_fms) == (0, 0, 0, 0)
    assert result.lost_assignments == 0
    assert result.audited_calls >= result.http_calls
