"""Concurrency on the real database: one FMS create per request cycle, no double booking, safe migrations."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest

from adapters.memory.clock import FixedClock
from adapters.memory.fms_gateway import MemoryFmsGateway
from adapters.postgres.db import PgPool
from adapters.postgres.migrations import apply_migrations, available_migrations
from adapters.postgres.pool import create_pool
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.create_assignments import Slot, save_slots
from application.protocol.ports import ProtocolPorts
from application.records import Actor, RequestSettings
from application.request import RequestResult, request_assignment
from domain.assignment import Assignment
from domain.errors import BookingConflict, OperationInProgress
from domain.reference import Partner, Vehicle
from domain.values import FmsState, Status
from tests.holder_support import new_holder
from tests.pg_support import DatabaseFactory

pytestmark = pytest.mark.postgres

LA = "Los Angeles"
VIN = "1HGCM82633A000001"
PERSON = 101
MONDAY = date(2025, 3, 3)
ACTOR = Actor("alice", fms_user_id=900)

HOLDER = new_holder()


async def seed(factory: PostgresUnitOfWorkFactory) -> None:
    """A requestable vehicle and a partner in its office."""
    async with factory() as uow:
        await uow.reference.replace_vehicles(
            [Vehicle(VIN, LA, fms_vehicle_id=101, make="Honda", model="Accord")]
        )
        await uow.reference.replace_partners([Partner(PERSON, LA, "Ada Lovelace")])


async def test_concurrent_requests_create_exactly_one_fms_request(pg_pool: PgPool) -> None:
    factory = PostgresUnitOfWorkFactory(pg_pool)
    await seed(factory)
    async with factory() as uow:
        added = await uow.assignments.add(
            Assignment(
                VIN, PERSON, LA, MONDAY, date(2025, 3, 10), Status.PLANNED, partner_name="Ada Lovelace"
            )
        )
    assert added.assignment_id is not None
    gateway = MemoryFmsGateway(latency_seconds=0.05)
    clock = FixedClock(datetime(2025, 3, 1, 12, 0, tzinfo=UTC))

    results = await asyncio.gather(
        *(
            request_assignment(
                added.assignment_id,
                actor=ACTOR,
                ports=ProtocolPorts(factory, gateway, clock, HOLDER),
                settings=RequestSettings(default_requestor_id=1),
            )
            for _ in range(30)
        ),
        return_exceptions=True,
    )

    created = [r for r in results if isinstance(r, RequestResult) and r.created_in_fms]
    others = [r for r in results if not (isinstance(r, RequestResult) and r.created_in_fms)]
    assert len(created) == 1
    for other in others:
        assert isinstance(other, OperationInProgress | RequestResult), repr(other)
    assert len(gateway.requests) == 1
    assert [call for call, _ in gateway.calls] == ["create"]
    (fms_request_id,) = gateway.requests
    async with factory() as uow:
        final = await uow.assignments.get(added.assignment_id)
        operations = await uow.operations.for_assignment(added.assignment_id)
    assert final is not None
    assert (final.status, final.fms_state, final.fms_request_id) == (
        Status.REQUESTED,
        FmsState.OPEN,
        fms_request_id,
    )
    assert final.pending is None
    assert len(operations) == 1
    assert operations[0].fms_request_id == fms_request_id
    async with pg_pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM fms_operations") == 1


async def test_concurrent_overlapping_saves_book_the_vehicle_once(pg_pool: PgPool) -> None:
    factory = PostgresUnitOfWorkFactory(pg_pool)
    await seed(factory)
    first = Slot(VIN, PERSON, MONDAY, date(2025, 3, 10), LA)
    second = Slot(VIN, PERSON, date(2025, 3, 5), date(2025, 3, 12), LA)

    results = await asyncio.gather(
        *(
            save_slots([slot], status=Status.MANUAL, actor=ACTOR, uow_factory=factory)
            for slot in (first, second)
        ),
        return_exceptions=True,
    )

    saved = [r for r in results if isinstance(r, list)]
    refused = [r for r in results if isinstance(r, BookingConflict)]
    assert (len(saved), len(refused)) == (1, 1), results
    async with pg_pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM assignments WHERE vin = $1", VIN) == 1


async def test_concurrent_migrations_apply_once(pg_database_factory: DatabaseFactory) -> None:
    dsn = await pg_database_factory(migrated=False)
    pools = [await create_pool(dsn, min_size=1, max_size=1) for _ in range(2)]
    try:
        every = [m.version for m in available_migrations()]
        results = await asyncio.gather(*(apply_migrations(pool) for pool in pools))
        assert sorted(results) == [[], every]
        assert await apply_migrations(pools[0]) == []
        async with pools[1].acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM schema_migrations") == len(every)
            assert await conn.fetchval("SELECT count(*) FROM assignments") == 0
    finally:
        for pool in pools:
            await pool.close()
