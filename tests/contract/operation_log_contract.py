"""FmsOperationLog contract: intent before the call, outcome after, per-assignment history in order."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest

from application.records import FmsOperation, OperationOutcome, OperationQuery
from tests.contract.harness import T0, VIN_2, Boom, Harness, fail_after, new_assignment, store


def operation(assignment_id: int | None, **overrides: Any) -> FmsOperation:
    """A pending create of an assignment, started at T0, with overrides."""
    assert assignment_id is not None
    fields: dict[str, Any] = {
        "operation_id": uuid4(),
        "assignment_id": assignment_id,
        "call": "create",
        "purpose": "create",
        "actor": "alice",
        "started_at": T0,
    }
    fields.update(overrides)
    return FmsOperation(**fields)


class OperationLogContract:
    """Every FmsOperationLog adapter must pass these; subclasses provide the `harness` fixture."""

    @pytest.fixture
    def harness(self) -> Harness:
        """Overridden by each adapter's subclass."""
        raise NotImplementedError

    async def record(self, harness: Harness, *operations: FmsOperation) -> None:
        async with harness.uow_factory() as uow:
            for op in operations:
                await uow.operations.record_intent(op)

    async def history(self, harness: Harness, assignment_id: int | None) -> list[FmsOperation]:
        assert assignment_id is not None
        async with harness.uow_factory() as uow:
            return await uow.operations.for_assignment(assignment_id)

    async def test_intent_round_trips_every_field(self, harness: Harness) -> None:
        (a,) = await store(harness, new_assignment())
        intent = operation(a.assignment_id, requestor_id=900, payload_summary="vehicle_id=101 vin=X")
        await self.record(harness, intent)
        assert await self.history(harness, a.assignment_id) == [intent]
        assert intent.outcome is OperationOutcome.PENDING

    async def test_histories_of_many_assignments_at_once(self, harness: Harness) -> None:
        a, b, c = await store(harness, new_assignment(), new_assignment(), new_assignment())
        later = operation(a.assignment_id, started_at=T0 + timedelta(seconds=5))
        first, tie = operation(a.assignment_id), operation(a.assignment_id, call="delete", purpose="delete")
        other = operation(b.assignment_id)
        await self.record(harness, later, first, other, tie)
        ids = [a.assignment_id or 0, b.assignment_id or 0, c.assignment_id or 0, 999_999]
        async with harness.uow_factory() as uow:
            found = await uow.operations.for_assignments(ids)
            assert await uow.operations.for_assignments([]) == {}
            single = [await uow.operations.for_assignment(i) for i in ids[:2]]
        assert found == {a.assignment_id: [first, tie, later], b.assignment_id: [other]}
        assert [found[i] for i in ids[:2]] == single

    async def test_outcome_completes_the_operation(self, harness: Harness) -> None:
        (a,) = await store(harness, new_assignment())
        intent = operation(a.assignment_id, requestor_id=900)
        await self.record(harness, intent)
        finished = T0 + timedelta(seconds=2)
        async with harness.uow_factory() as uow:
            await uow.operations.record_outcome(
                intent.operation_id,
                outcome=OperationOutcome.SUCCESS,
                finished_at=finished,
                status_code=201,
                fms_request_id=5001,
            )
        expected = replace(
            intent,
            outcome=OperationOutcome.SUCCESS,
            finished_at=finished,
            status_code=201,
            fms_request_id=5001,
        )
        assert await self.history(harness, a.assignment_id) == [expected]

    async def test_a_call_never_sent_is_recorded_as_not_sent(self, harness: Harness) -> None:
        (a,) = await store(harness, new_assignment())
        intent = operation(a.assignment_id)
        await self.record(harness, intent)
        async with harness.uow_factory() as uow:
            await uow.operations.record_outcome(
                intent.operation_id, outcome=OperationOutcome.NOT_SENT, finished_at=T0, error="unreachable"
            )
        (stored,) = await self.history(harness, a.assignment_id)
        assert stored.outcome is OperationOutcome.NOT_SENT
        async with harness.uow_factory() as uow:
            found = await uow.operations.query(OperationQuery(outcome=OperationOutcome.NOT_SENT))
        assert [o.operation_id for o in found] == [intent.operation_id]

    async def test_an_outcome_without_request_id_keeps_the_known_one(self, harness: Harness) -> None:
        (a,) = await store(harness, new_assignment())
        intent = operation(a.assignment_id, call="delete", purpose="unrequest", fms_request_id=5001)
        await self.record(harness, intent)
        async with harness.uow_factory() as uow:
            await uow.operations.record_outcome(
                intent.operation_id,
                outcome=OperationOutcome.AMBIGUOUS,
                finished_at=T0,
                status_code=502,
                error="Bad Gateway",
            )
        (stored,) = await self.history(harness, a.assignment_id)
        assert stored.fms_request_id == 5001
        assert stored.outcome is OperationOutcome.AMBIGUOUS
        assert (stored.status_code, stored.error) == (502, "Bad Gateway")

    async def test_history_is_one_assignment_oldest_first(self, harness: Harness) -> None:
        a, b = await store(harness, new_assignment(), new_assignment(vin=VIN_2))
        late = operation(a.assignment_id, started_at=T0 + timedelta(minutes=5))
        early = operation(a.assignment_id, started_at=T0 - timedelta(minutes=5))
        tie_first, tie_second = operation(a.assignment_id), operation(a.assignment_id, call="delete")
        other = operation(b.assignment_id)
        await self.record(harness, late, tie_first, other, early)
        await self.record(harness, tie_second)
        assert await self.history(harness, a.assignment_id) == [early, tie_first, tie_second, late]
        assert await self.history(harness, b.assignment_id) == [other]
        assert await self.history(harness, 987_654) == []

    async def test_an_exception_rolls_back_the_intent(self, harness: Harness) -> None:
        (a,) = await store(harness, new_assignment())
        with pytest.raises(Boom):
            await fail_after(harness, lambda uow: uow.operations.record_intent(operation(a.assignment_id)))
        assert await harness.count_operations() == 0
        assert await self.history(harness, a.assignment_id) == []
