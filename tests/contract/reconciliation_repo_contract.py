"""ReconciliationRepo contract: what reconciliation reads and the events it writes, inside a unit of work."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from application.records import AssignmentEvent
from domain.values import FmsState, Status
from tests.contract.harness import MONDAY, T0, VIN_2, VIN_3, Harness, new_assignment, store


def d(offset: int) -> date:
    """A day relative to MONDAY."""
    return MONDAY + timedelta(days=offset)


class ReconciliationRepoContract:
    """Subclasses provide `harness`, the adapter's unit-of-work factory over an empty store."""

    @pytest.fixture
    def harness(self) -> Harness:
        """Overridden by each adapter's subclass."""
        raise NotImplementedError

    async def test_awaiting_activity_is_the_live_requested_assignments_by_id(self, harness: Harness) -> None:
        requested: dict[str, object] = {"status": Status.REQUESTED, "fms_state": FmsState.OPEN}
        first, _planned, second, _removed = await store(
            harness,
            new_assignment(fms_request_id=11, **requested),
            new_assignment(vin=VIN_2),
            new_assignment(vin=VIN_3, fms_request_id=12, **requested),
            new_assignment(vin=VIN_2, start_day=d(20), end_day=d(27), removed=True),
        )
        async with harness.uow_factory() as uow:
            awaiting = await uow.reconciliation.awaiting_activity()
        assert [a.assignment_id for a in awaiting] == [first.assignment_id, second.assignment_id]

    async def test_active_and_claimed_activities(self, harness: Harness) -> None:
        active, _planned = await store(
            harness,
            new_assignment(status=Status.ACTIVE, activity_id=71),
            new_assignment(vin=VIN_2),
        )
        async with harness.uow_factory() as uow:
            assert [a.assignment_id for a in await uow.reconciliation.active()] == [active.assignment_id]
            assert await uow.reconciliation.claimed_activity_ids([71, 72]) == {71}

    async def test_events_are_recorded_and_read_back_oldest_first(self, harness: Harness) -> None:
        (a,) = await store(harness, new_assignment(status=Status.ACTIVE, activity_id=71))
        assert a.assignment_id is not None
        later = AssignmentEvent(
            a.assignment_id, T0 + timedelta(hours=1), "completed", "active", "completed", "gone"
        )
        first = AssignmentEvent(a.assignment_id, T0, "activated", "requested", "active", "approved", 71)
        async with harness.uow_factory() as uow:
            await uow.reconciliation.record_event(first)
            await uow.reconciliation.record_event(later)
        async with harness.uow_factory() as uow:
            events = await uow.reconciliation.events(a.assignment_id)
            assert await uow.reconciliation.events(a.assignment_id + 1) == []
        assert [(e.kind, e.at, e.activity_id, e.reason) for e in events] == [
            ("activated", T0, 71, "approved"),
            ("completed", T0 + timedelta(hours=1), None, "gone"),
        ]
