"""lock_for_request on the real database: vehicles first, then rows, in one statement; a VIN that
changed while the statement waited for its row still gets its vehicle locked."""

from __future__ import annotations

import asyncio

import pytest

from adapters.postgres.db import PgPool
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from adapters.postgres.vehicle_locks import VEHICLE_LOCK_SPACE
from domain.assignment import Assignment
from tests.integration.test_postgres_concurrency import VIN
from tests.integration.test_postgres_lock_order import planned
from tests.pg_support import until_a_session_waits_on_a_lock

pytestmark = pytest.mark.postgres
OTHER_VIN = "4T1BF1FK5CU000002"


async def _vehicle_locked(pool: PgPool, vin: str) -> bool:
    """True when another session holds the vehicle's lock (tried from a fresh session, then let go)."""
    async with pool.acquire() as conn:
        taken = await conn.fetchval(
            "SELECT pg_try_advisory_lock($1, hashtext($2::text))", VEHICLE_LOCK_SPACE, vin
        )
        if taken:
            await conn.execute("SELECT pg_advisory_unlock($1, hashtext($2::text))", VEHICLE_LOCK_SPACE, vin)
    return not taken


async def test_a_request_holds_its_vehicle_and_its_row(pg_pool: PgPool) -> None:
    factory = PostgresUnitOfWorkFactory(pg_pool)
    aid = await planned(factory)
    async with factory() as uow:
        (row,) = await uow.protocol.lock_for_request([aid])
        assert await _vehicle_locked(pg_pool, VIN)
        assert not await _vehicle_locked(pg_pool, OTHER_VIN)
    assert row.vin == VIN
    assert not await _vehicle_locked(pg_pool, VIN)  # a transaction lock: gone with the commit


async def test_a_vehicle_changed_while_waiting_for_the_row_is_locked_too(pg_pool: PgPool) -> None:
    factory = PostgresUnitOfWorkFactory(pg_pool)
    aid = await planned(factory)
    done = asyncio.Event()
    async with factory() as mover:
        (a,) = await mover.assignments.get_many([aid], for_update=True)

        async def request() -> Assignment:
            async with factory() as uow:
                (row,) = await uow.protocol.lock_for_request([aid])  # waits for the mover's row lock
                assert await _vehicle_locked(pg_pool, OTHER_VIN)
                done.set()
                await asyncio.sleep(0)
                return row

        waiting = asyncio.create_task(request())
        await until_a_session_waits_on_a_lock(pg_pool)
        assert await _vehicle_locked(pg_pool, VIN)  # the vehicle it saw is locked before the row
        assert not done.is_set()
        a.vin = OTHER_VIN
        await mover.assignments.update(a)
    row = await waiting
    assert row.vin == OTHER_VIN
