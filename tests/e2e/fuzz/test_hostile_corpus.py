"""The hostile corpus against every operation of the served schema, on PostgreSQL (sandbox and staging):
never a 5xx, and a refused request leaves every stored row as it was."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from tests.e2e.fms_envs import bearer
from tests.e2e.fuzz.corpus import BASE
from tests.e2e.fuzz.mutations import mutations
from tests.e2e.fuzz.probe import Probe
from tests.e2e.fuzz.services import FuzzWorld, fuzz_service, served_schema

METHODS = ("get", "post", "put", "patch", "delete")
OPERATIONS = {
    f"{method.upper()} {path}": (path, operation)
    for path, operations in served_schema()["paths"].items()
    for method, operation in operations.items()
    if method in METHODS
}
# A refused ingest is still recorded as a sync run (the audit of the attempt), by design.
# Not stored data: the audit of sync attempts (refused ingests are recorded by design), and the
# service's own heartbeat (fms_holders: a process's lease, renewed in the background).
AUDIT_OF_ATTEMPTS = ("sync_runs", "sync_run_reports", "fms_holders")


async def stored_rows(dsn: str) -> dict[str, str]:
    """A digest of every table's rows (but the audit of sync attempts and the heartbeat's leases)."""
    conn = await asyncpg.connect(dsn)
    try:
        tables = await conn.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        digests = {}
        for (table,) in tables:
            if table not in AUDIT_OF_ATTEMPTS:
                query = (
                    f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"
                )
                digests[table] = await conn.fetchval(query)
        return digests
    finally:
        await conn.close()


def test_the_corpus_has_a_valid_request_for_every_operation() -> None:
    assert set(OPERATIONS) == set(BASE)


async def send(client: AsyncTestClient[Any], probe: Probe) -> int:
    """Send a probe with a token of both roles; its status (never a 5xx)."""
    headers = {"Authorization": bearer(), **probe.headers}
    if probe.content_type is not None:
        headers["Content-Type"] = probe.content_type
    response = await client.request(probe.method, probe.url(), content=probe.body, headers=headers)
    assert response.status_code < 500, (probe.what, probe.url()[:200], response.text[:500])
    if response.status_code >= 400:
        assert "detail" in response.json(), (probe.what, response.text[:500])
    return response.status_code


@pytest.mark.parametrize("label", sorted(BASE))
async def test_hostile_input_is_never_a_5xx_and_refused_input_changes_nothing(
    label: str, pg_world: FuzzWorld
) -> None:
    template, operation = OPERATIONS[label]
    assert pg_world.dsn is not None
    async with AsyncTestClient(app=fuzz_service(pg_world).app) as client:
        before = await stored_rows(pg_world.dsn)
        for probe in mutations(template, operation, BASE[label]):
            status = await send(client, probe)
            after = await stored_rows(pg_world.dsn)
            if status >= 400:
                changed = sorted(t for t in after if after[t] != before.get(t))
                assert not changed, (probe.what, status, changed)
            before = after
