"""No asyncpg or socket exception crosses a Postgres adapter: values the database refuses become
StorageRefusedValue (the input is at fault), everything else StorageUnavailable."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from adapters.postgres.db import PgPool
from adapters.postgres.errors import redact_dsn
from adapters.postgres.pool import create_pool
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.port_errors import StorageRefusedValue, StorageUnavailable
from application.records import OperationQuery
from domain.values import FmsState, Status
from tests.contract.harness import new_assignment

pytestmark = pytest.mark.postgres


async def test_unreachable_database_is_reported_without_the_password() -> None:
    dsn = "postgresql://scheduler:s3cr%40t-pw@127.0.0.1:1/media_scheduler"
    with pytest.raises(StorageUnavailable) as caught:
        await create_pool(dsn)
    message = str(caught.value)
    assert "127.0.0.1:1" in message
    assert "s3cr" not in message
    assert "scheduler:***@" in message


async def test_a_missing_database_is_storage_unavailable(pg_dsn: str) -> None:
    with pytest.raises(StorageUnavailable, match="ms_no_such_database"):
        await create_pool(pg_dsn.replace("/ms_test_", "/ms_no_such_database_"))


def test_redaction_leaves_password_free_dsns_alone() -> None:
    assert redact_dsn("postgresql://postgres:@/db?host=/tmp/x") == "postgresql://postgres:@/db?host=/tmp/x"
    assert redact_dsn("postgresql://u:p@h:5432/db") == "postgresql://u:***@h:5432/db"


async def test_a_rejected_row_is_storage_unavailable_and_rolls_back(pg_pool: PgPool) -> None:
    factory = PostgresUnitOfWorkFactory(pg_pool)
    # I1 broken: requested without an open FMS request. The database refuses it.
    broken = new_assignment(status=Status.REQUESTED, fms_state=FmsState.NONE)
    with pytest.raises(StorageUnavailable, match="assignments_i1"):
        async with factory() as uow:
            await uow.assignments.add(broken)
    async with pg_pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM assignments") == 0


async def test_the_database_refuses_reversed_days(pg_pool: PgPool) -> None:
    reversed_days = new_assignment()
    reversed_days.end_day = date(2025, 3, 1)  # the aggregate checks only when built
    with pytest.raises(StorageUnavailable, match="assignments_days"):
        async with PostgresUnitOfWorkFactory(pg_pool)() as uow:
            await uow.assignments.add(reversed_days)


async def test_a_closed_pool_is_storage_unavailable(pg_dsn: str) -> None:
    pool = await create_pool(pg_dsn, min_size=1, max_size=1)
    await pool.close()
    with pytest.raises(StorageUnavailable):
        async with PostgresUnitOfWorkFactory(pool)():
            pass


async def read_after_losing_the_connection(pool: PgPool) -> None:
    """Begin a unit of work, have its connection killed by the server, then use it."""
    async with PostgresUnitOfWorkFactory(pool)() as uow:
        async with pool.acquire() as admin:
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        await uow.assignments.get(1)


async def test_a_lost_connection_is_storage_unavailable(pg_pool: PgPool) -> None:
    with pytest.raises(StorageUnavailable, match="while loading an assignment"):
        await read_after_losing_the_connection(pg_pool)
    async with PostgresUnitOfWorkFactory(pg_pool)() as uow:  # the pool recovers
        assert await uow.assignments.get(1) is None


async def test_text_the_database_cannot_store_is_a_refused_value_and_rolls_back(pg_pool: PgPool) -> None:
    factory = PostgresUnitOfWorkFactory(pg_pool)
    for name in ("Pat\x00Partner", "Pat \ud800"):
        with pytest.raises(StorageRefusedValue, match="while adding an assignment") as caught:
            async with factory() as uow:
                await uow.assignments.add(new_assignment(partner_name=name))
        assert not isinstance(caught.value, StorageUnavailable)
    async with pg_pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM assignments") == 0


@pytest.mark.parametrize(
    "query",
    [
        OperationQuery(since=datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=23)))),
        OperationQuery(until=datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-23)))),
        OperationQuery(assignment_id=2**70),
        OperationQuery(actor="a\x00b"),
    ],
)
async def test_values_out_of_the_databases_range_are_refused_values(
    pg_pool: PgPool, query: OperationQuery
) -> None:
    with pytest.raises(StorageRefusedValue, match="querying the FMS audit log"):
        async with PostgresUnitOfWorkFactory(pg_pool)() as uow:
            await uow.operations.query(query)
