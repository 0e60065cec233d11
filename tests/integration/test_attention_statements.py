"""The attention list reads every listed assignment's history in one statement, however many it lists."""

from __future__ import annotations

from adapters.fms_faults import FmsFault
from adapters.memory.fms_gateway import MemoryFmsGateway
from adapters.postgres.db import PgPool
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.bulk import BulkAction, BulkSettings, run_bulk
from application.protocol.ports import ProtocolPorts
from application.records import RequestSettings
from application.resolve import needing_attention
from tests.integration.test_bulk_postgres import ACTOR, CLOCK, HOLDER, StatementLog, counted, seed

__all__ = ["counted"]  # the fixture, shared with the bulk statement counts


async def _statements_to_list(pool: PgPool, log: StatementLog, ids: list[int]) -> tuple[int, int]:
    """(assignments listed, statements sent) once these requests ended ambiguous."""
    factory = PostgresUnitOfWorkFactory(pool)
    fms = MemoryFmsGateway()
    fms.fail_next(*[FmsFault.SERVER_ERROR] * len(ids))  # 500: FMS may have acted, the outcome is unknown
    await run_bulk(
        BulkAction.REQUEST,
        ids,
        actor=ACTOR,
        ports=ProtocolPorts(factory, fms, CLOCK, HOLDER),
        request_settings=RequestSettings(default_requestor_id=1),
        bulk_settings=BulkSettings(),
    )
    before = await log.settled()
    listed = await needing_attention(uow_factory=factory, clock=CLOCK)
    assert all(len(item.operations) == 1 for item in listed)
    return len(listed), await log.settled() - before


async def test_the_attention_list_costs_the_same_for_2_or_20(counted: tuple[PgPool, StatementLog]) -> None:
    pool, log = counted
    ids = await seed(PostgresUnitOfWorkFactory(pool), 20)
    few = await _statements_to_list(pool, log, ids[:2])
    many = await _statements_to_list(pool, log, ids[2:])
    assert (few[0], many[0]) == (2, 20)
    assert few[1] == many[1] <= 5, (few, many)  # BEGIN, the list, the live holders, the histories, COMMIT
