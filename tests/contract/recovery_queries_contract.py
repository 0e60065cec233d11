"""Contract of the recovery reads: in-flight assignments and the filtered audit log."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from application.records import FmsOperation, OperationOutcome, OperationQuery
from domain.assignment import Assignment
from tests.contract.harness import T0, VIN_2, VIN_3, Harness, new_assignment, store


async def start_create(harness: Harness, a: Assignment, started: timedelta, actor: str = "alice") -> None:
    """Put an assignment in `creating` with an audit row started at T0 + started."""
    assert a.assignment_id is not None
    op = uuid4()
    async with harness.uow_factory() as uow:
        current = await uow.assignments.get(a.assignment_id, for_update=True)
        assert current is not None
        current.begin_request(op)
        await uow.operations.record_intent(
            FmsOperation(
                operation_id=op,
                assignment_id=a.assignment_id,
                call="create",
                purpose="create",
                actor=actor,
                started_at=T0 + started,
            )
        )
        await uow.assignments.update(current)


class RecoveryQueriesContract:
    """Every adapter must pass these; subclasses provide the `harness` fixture."""

    @pytest.fixture
    def harness(self) -> Harness:
        """Overridden by each adapter's subclass."""
        raise NotImplementedError

    async def test_in_flight_lists_waiting_assignments_oldest_first(self, harness: Harness) -> None:
        old, new, idle = await store(
            harness, new_assignment(), new_assignment(vin=VIN_2), new_assignment(vin=VIN_3)
        )
        await start_create(harness, new, timedelta(minutes=5))
        await start_create(harness, old, timedelta(minutes=1))
        async with harness.uow_factory() as uow:
            waiting = await uow.assignments.in_flight()
            first = await uow.assignments.in_flight(limit=1)
        assert [a.assignment_id for a in waiting] == [old.assignment_id, new.assignment_id]
        assert [a.assignment_id for a in first] == [old.assignment_id]
        assert all(a.pending is not None for a in waiting)
        assert idle.assignment_id not in {a.assignment_id for a in waiting}

    async def test_audit_query_filters_and_orders_newest_first(self, harness: Harness) -> None:
        a, b = await store(harness, new_assignment(), new_assignment(vin=VIN_2))
        await start_create(harness, a, timedelta(minutes=1), actor="alice")
        await start_create(harness, b, timedelta(minutes=2), actor="bob")
        async with harness.uow_factory() as uow:
            everything = await uow.operations.query(OperationQuery())
            by_bob = await uow.operations.query(OperationQuery(actor="bob"))
            of_a = await uow.operations.query(OperationQuery(assignment_id=a.assignment_id))
            late = await uow.operations.query(OperationQuery(since=T0 + timedelta(minutes=2)))
            early = await uow.operations.query(OperationQuery(until=T0 + timedelta(minutes=2)))
            done = await uow.operations.query(OperationQuery(outcome=OperationOutcome.SUCCESS))
            one = await uow.operations.query(OperationQuery(limit=1))
        assert [o.actor for o in everything] == ["bob", "alice"]
        assert [o.assignment_id for o in by_bob] == [b.assignment_id]
        assert [o.actor for o in of_a] == ["alice"]
        assert [o.actor for o in late] == ["bob"]
        assert [o.actor for o in early] == ["alice"]
        assert done == []
        assert [o.actor for o in one] == ["bob"]
