"""ReadinessProbe contract: whether the storage takes writes, and what a holder holds since when."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from application.ports import ReadinessProbe
from application.records import FmsOperation
from tests.contract.harness import T0, VIN_2, VIN_3, Harness, new_assignment, store


class ReadinessProbeContract:
    """Run against every adapter: subclasses provide `harness` and `probe` fixtures."""

    async def test_a_healthy_store_takes_writes(self, probe: ReadinessProbe) -> None:
        assert await probe.writable() is True

    async def test_operations_held_since_before_a_moment_are_counted(
        self, harness: Harness, probe: ReadinessProbe
    ) -> None:
        holder, other = uuid4(), uuid4()
        arranged = [
            (new_assignment(), T0, holder),
            (new_assignment(vin=VIN_2), T0 + timedelta(minutes=5), holder),
            (new_assignment(vin=VIN_3), T0, other),
        ]
        for a, _, by in arranged:
            a.begin_request(uuid4())
            a.hold(by)
        await store(harness, *(a for a, _, _ in arranged))
        async with harness.uow_factory() as uow:
            for a, started, _ in arranged:
                assert a.pending is not None
                assert a.assignment_id is not None
                intent = FmsOperation(
                    a.pending.operation_id, a.assignment_id, "create", "create", "t", started
                )
                await uow.operations.record_intent(intent)
        moment = T0 + timedelta(minutes=1)
        assert await probe.held_since(holder, intent_before=moment) == 1
        assert await probe.held_since(holder, intent_before=moment + timedelta(minutes=10)) == 2
        assert await probe.held_since(uuid4(), intent_before=moment) == 0
