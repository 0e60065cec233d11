"""Contract of the FmsEventLog port (each pushed event id remembered once) and of UnsettledOperations."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest

from application.fms_events import ReceivedEvent
from application.ports import UnsettledOperations
from tests.contract.harness import T0, VIN_2, VIN_3, Boom, Harness, fail_after, new_assignment, store


def event(
    event_id: str = "evt-1", outcome: str = "received", fms_request_id: int = 900, seconds: int = 0
) -> ReceivedEvent:
    """A received approval of an FMS request (900 by default), with its activity and fingerprint."""
    received = T0 + timedelta(seconds=seconds)
    return ReceivedEvent(
        event_id, "request.approved", fms_request_id, received, outcome, activity_id=7001, fingerprint="f1"
    )


class FmsEventLogContract:
    """Run against every adapter: subclasses provide the `harness` fixture."""

    async def test_an_event_id_is_remembered_once(self, harness: Harness) -> None:
        async with harness.uow_factory() as uow:
            assert await uow.fms_events.remember(event()) is True
        async with harness.uow_factory() as uow:
            assert await uow.fms_events.remember(event(outcome="other")) is False
            assert await uow.fms_events.get("evt-1") == event()

    async def test_the_outcome_is_written_down(self, harness: Harness) -> None:
        async with harness.uow_factory() as uow:
            await uow.fms_events.remember(event())
            await uow.fms_events.record_outcome("evt-1", "applied")
        async with harness.uow_factory() as uow:
            stored = await uow.fms_events.get("evt-1")
        assert stored is not None
        assert stored.outcome == "applied"
        assert stored.fms_request_id == 900

    async def test_a_rolled_back_event_is_not_remembered(self, harness: Harness) -> None:
        with pytest.raises(Boom):
            await fail_after(harness, lambda uow: uow.fms_events.remember(event()))
        async with harness.uow_factory() as uow:
            assert await uow.fms_events.get("evt-1") is None
            assert await uow.fms_events.remember(event()) is True

    async def test_events_waiting_for_their_request_are_listed_in_arrival_order(
        self, harness: Harness
    ) -> None:
        async with harness.uow_factory() as uow:
            await uow.fms_events.remember(event("late", "waiting", seconds=5))
            await uow.fms_events.remember(event("early", "waiting", seconds=1))
            await uow.fms_events.remember(event("other", "waiting", fms_request_id=901, seconds=3))
            await uow.fms_events.remember(event("done", "applied", seconds=2))
        async with harness.uow_factory() as uow:
            mine = await uow.fms_events.waiting(900)
            every = await uow.fms_events.waiting(None)
            first = await uow.fms_events.waiting(None, limit=1)
        assert [e.event_id for e in mine] == ["early", "late"]
        assert [e.event_id for e in every] == ["early", "other", "late"]
        assert [e.event_id for e in first] == ["early"]
        assert mine[0] == event("early", "waiting", seconds=1)  # activity id and fingerprint kept
        async with harness.uow_factory() as uow:
            await uow.fms_events.record_outcome("early", "applied")
        async with harness.uow_factory() as uow:
            assert [e.event_id for e in await uow.fms_events.waiting(900)] == ["late"]

    async def test_an_unknown_event_reads_none(self, harness: Harness) -> None:
        async with harness.uow_factory() as uow:
            assert await uow.fms_events.get("nope") is None


class UnsettledOperationsContract:
    """Run against every adapter: subclasses provide `harness` and `census` fixtures."""

    async def test_nothing_unsettled_counts_nothing(self, census: UnsettledOperations) -> None:
        assert await census.counts() == {}

    async def test_creating_and_unknown_are_counted_removed_ones_not(
        self, harness: Harness, census: UnsettledOperations
    ) -> None:
        creating = new_assignment()
        creating.begin_request(uuid4())
        unknown = new_assignment(vin=VIN_2)
        op = uuid4()
        unknown.begin_request(op)
        unknown.request_outcome_unknown(op, "timeout")
        gone = new_assignment(vin=VIN_3, start_day=date(2025, 4, 7), end_day=date(2025, 4, 10))
        gone.begin_request(uuid4())
        gone.removed = True
        await store(harness, creating, unknown, gone)
        assert await census.counts() == {"creating": 1, "unknown": 1}
