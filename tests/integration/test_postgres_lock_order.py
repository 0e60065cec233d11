"""Locks are taken in one order everywhere (vehicle, then assignment row), so a Request racing a week's
schedule save over the same vehicle waits instead of deadlocking."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from adapters.memory.clock import FixedClock
from adapters.memory.fms_gateway import MemoryFmsGateway
from adapters.postgres.db import PgPool
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.bulk import BulkAction, BulkSettings, run_bulk
from application.errors import AssignmentNotFound
from application.protocol.ports import ProtocolPorts
from application.records import Actor, RequestSettings
from application.request import request_assignment
from domain.assignment import Assignment
from domain.values import Status
from tests.holder_support import new_holder
from tests.integration.test_postgres_concurrency import LA, MONDAY, PERSON, VIN, seed
from tests.pg_support import until_a_session_waits_on_a_lock

pytestmark = pytest.mark.postgres
ACTOR = Actor("alice", fms_user_id=900)
CLOCK = FixedClock(datetime(2025, 3, 1, 12, 0, tzinfo=UTC))


async def planned(factory: PostgresUnitOfWorkFactory) -> int:
    """A planned week of VIN for PERSON, stored."""
    async with factory() as uow:
        added = await uow.assignments.add(
            Assignment(VIN, PERSON, LA, MONDAY, MONDAY + timedelta(days=7), Status.PLANNED)
        )
    assert added.assignment_id is not None
    return added.assignment_id


async def _schedule_save_holding_the_vehicle(
    factory: PostgresUnitOfWorkFactory, started: asyncio.Event, pool: PgPool
) -> int:
    """What save-schedule does: lock the vehicle, (meanwhile a Request arrives), replace the week."""
    async with factory() as uow:
        await uow.assignments.lock_vehicles([VIN])
        started.set()
        await until_a_session_waits_on_a_lock(pool)  # the Request now waits on a lock
        return await uow.assignments.remove_planned(LA, MONDAY, MONDAY + timedelta(days=7))


@pytest.mark.parametrize("bulk", [False, True])
async def test_a_request_waits_for_a_schedule_save_instead_of_deadlocking(
    pg_pool: PgPool, bulk: bool
) -> None:
    factory = PostgresUnitOfWorkFactory(pg_pool)
    await seed(factory)
    aid = await planned(factory)
    gateway = MemoryFmsGateway()
    started = asyncio.Event()
    save = asyncio.create_task(_schedule_save_holding_the_vehicle(factory, started, pg_pool))
    await started.wait()
    if bulk:
        report = await run_bulk(
            BulkAction.REQUEST,
            [aid],
            actor=ACTOR,
            ports=ProtocolPorts(factory, gateway, CLOCK, new_holder()),
            request_settings=RequestSettings(1),
            bulk_settings=BulkSettings(),
        )
        assert isinstance(report.results[0].error, AssignmentNotFound)
    else:
        with pytest.raises(AssignmentNotFound):  # the save removed it first; no deadlock, no 503
            await request_assignment(
                aid,
                actor=ACTOR,
                ports=ProtocolPorts(factory, gateway, CLOCK, new_holder()),
                settings=RequestSettings(1),
            )
    assert await save == 1
    assert gateway.requests == {}
