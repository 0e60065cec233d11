"""Contract of ProtocolStore: each method answers and stores what the other ports' methods do together."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from uuid import uuid4

import pytest

from adapters.memory.protocol_store import ComposedProtocolStore
from application.port_errors import ConcurrentUpdate
from application.records import OperationOutcome
from domain.assignment import PendingOperation
from domain.values import FmsState, PendingKind, Status
from tests.contract.assignment_queries_contract import d
from tests.contract.harness import LA, SF, T0, VIN_1, VIN_2, VIN_3, Harness, load, new_assignment, store
from tests.contract.operation_log_contract import operation
from tests.contract.reference_data_contract import CURRENT, PARTNERS, VEHICLES


class ProtocolStoreContract:
    """Every adapter set must pass these; subclasses provide the `harness` fixture."""

    @pytest.fixture
    def harness(self) -> Harness:
        """Overridden by each adapter's subclass."""
        raise NotImplementedError

    async def test_lock_for_request_answers_the_rows_by_id(self, harness: Harness) -> None:
        a, b = await store(harness, new_assignment(vin=VIN_2), new_assignment())
        async with harness.uow_factory() as uow:
            rows = await uow.protocol.lock_for_request([b.assignment_id or 0, 999_999, a.assignment_id or 0])
            assert await uow.protocol.lock_for_request([]) == []
        assert rows == [a, b]

    async def test_request_context_is_what_the_separate_reads_answer(self, harness: Harness) -> None:
        held = new_assignment(vin=VIN_1, start_day=d(20), end_day=d(25), activity_id=901)  # outside the span
        mine = [
            new_assignment(vin=VIN_1, person_id=1, office=LA, start_day=d(3), end_day=d(5)),
            new_assignment(vin=VIN_2, person_id=2, office=LA, start_day=d(4), end_day=d(9)),
            new_assignment(vin=VIN_3, person_id=3, office=SF, start_day=d(8), end_day=d(9)),
            new_assignment(vin=VIN_3, person_id=99, office=SF, start_day=d(8), end_day=d(9)),  # no partner
        ]
        others = [
            held,
            new_assignment(vin=VIN_2, start_day=d(9), end_day=d(12)),  # meets the span's last day
            new_assignment(vin=VIN_2, start_day=d(10), end_day=d(12)),  # after it
            new_assignment(vin=VIN_1, start_day=d(4), end_day=d(6), removed=True),
        ]
        stored = await store(harness, *mine, *others)
        async with harness.uow_factory() as uow:
            await uow.reference.replace_vehicles(VEHICLES)
            await uow.reference.replace_partners(PARTNERS)
            await uow.reference.replace_current_activities(CURRENT)
        async with harness.uow_factory() as uow:
            got = await uow.protocol.request_context(stored[:4])
            expected = await ComposedProtocolStore(uow).request_context(stored[:4])
            empty = await uow.protocol.request_context([])
        assert got == expected
        assert set(got.vehicles) == {VIN_1, VIN_2, VIN_3} & {v.vin for v in VEHICLES}
        assert set(got.partners) == {(1, LA), (2, LA), (3, SF)}
        assert [b.assignment_id for b in got.bookings.assignments[VIN_1]] == [
            stored[0].assignment_id,
            stored[4].assignment_id,
        ]
        assert [b.assignment_id for b in got.bookings.assignments[VIN_2]] == [
            stored[1].assignment_id,
            stored[5].assignment_id,
        ]
        assert (empty.vehicles, empty.partners, empty.bookings.assignments) == ({}, {}, {})

    async def test_request_context_answers_a_vehicle_of_another_office_with_its_own_office(
        self, harness: Harness
    ) -> None:
        """What the request rules decide on (issue 25): an assignment booked under Los Angeles of a San
        Francisco vehicle gets that vehicle, with its office, and its partner only if one of LA."""
        (elsewhere,) = await store(harness, new_assignment(vin=VIN_3, person_id=1, office=LA))
        async with harness.uow_factory() as uow:
            await uow.reference.replace_vehicles(VEHICLES)
            await uow.reference.replace_partners(PARTNERS)
        async with harness.uow_factory() as uow:
            got = await uow.protocol.request_context([elsewhere])
            assert got == await ComposedProtocolStore(uow).request_context([elsewhere])
            by_vin = await uow.reference.vehicles(vins=[VIN_3])
        assert (
            [(v.vin, v.office) for v in got.vehicles.values()]
            == [(VIN_3, SF)]
            == [(v.vin, v.office) for v in by_vin]
        )
        assert list(got.partners) == [(1, LA)]

    async def test_store_intents_stores_the_changes_and_their_audit_rows(self, harness: Harness) -> None:
        a, b = await store(harness, new_assignment(), new_assignment(vin=VIN_2))
        op = uuid4()
        a.fms_state, a.pending = FmsState.CREATING, PendingOperation(op, PendingKind.CREATE)
        b.last_error = "removed at once"
        intent = operation(a.assignment_id, operation_id=op, requestor_id=900, payload_summary="vin=x")
        async with harness.uow_factory() as uow:
            await uow.protocol.store_intents([a, b], [intent])
            await uow.protocol.store_intents([], [])
        assert (a.version, b.version) == (2, 2)
        assert await load(harness, a.assignment_id) == a
        assert await load(harness, b.assignment_id) == b
        async with harness.uow_factory() as uow:
            assert await uow.operations.for_assignment(a.assignment_id or 0) == [intent]

    async def test_one_change_with_its_intent(self, harness: Harness) -> None:
        """A single Request's shape (one assignment, one audit row), which an adapter may store apart."""
        (a,) = await store(harness, new_assignment())
        op = uuid4()
        a.fms_state, a.pending = FmsState.CREATING, PendingOperation(op, PendingKind.CREATE)
        intent = operation(a.assignment_id, operation_id=op, requestor_id=900, payload_summary="vin=x")
        async with harness.uow_factory() as uow:
            await uow.protocol.store_intents([a], [intent])
        assert a.version == 2
        assert await load(harness, a.assignment_id) == a
        async with harness.uow_factory() as uow:
            assert await uow.operations.for_assignment(a.assignment_id or 0) == [intent]

    async def test_a_stale_intent_stores_nothing(self, harness: Harness) -> None:
        (a,) = await store(harness, new_assignment())
        stale = replace(a)
        a.last_error = "changed elsewhere"
        async with harness.uow_factory() as uow:
            await uow.assignments.update(a)
        stale.last_error = "mine"
        with pytest.raises(ConcurrentUpdate):
            async with harness.uow_factory() as uow:
                await uow.protocol.store_intents([stale], [operation(a.assignment_id)])
        assert await harness.count_operations() == 0
        stored = await load(harness, a.assignment_id)
        assert stored is not None
        assert stored.last_error == "changed elsewhere"

    async def test_store_outcomes_stores_the_changes_and_completes_the_audit_rows(
        self, harness: Harness
    ) -> None:
        a, b = await store(harness, new_assignment(), new_assignment(vin=VIN_2))
        first, second = operation(a.assignment_id), operation(b.assignment_id)
        async with harness.uow_factory() as uow:
            await uow.protocol.store_intents([], [first, second])
        a.status, a.fms_state, a.fms_request_id = Status.REQUESTED, FmsState.OPEN, 6001
        done = [
            replace(
                o, outcome=OperationOutcome.SUCCESS, finished_at=T0 + timedelta(seconds=1), status_code=201
            )
            for o in (first, second)
        ]
        async with harness.uow_factory() as uow:
            await uow.protocol.store_outcomes([a], done)  # b moved on: only its audit row
        assert await load(harness, a.assignment_id) == a
        async with harness.uow_factory() as uow:
            assert await uow.operations.for_assignment(a.assignment_id or 0) == [done[0]]
            assert await uow.operations.for_assignment(b.assignment_id or 0) == [done[1]]

    async def test_a_stale_outcome_stores_nothing_and_the_unit_of_work_goes_on(
        self, harness: Harness
    ) -> None:
        """What step 3 relies on: one stale assignment writes nothing; it then locks and reloads."""
        (a,) = await store(harness, new_assignment())
        intent = operation(a.assignment_id)
        async with harness.uow_factory() as uow:
            await uow.protocol.store_intents([], [intent])
        stale = replace(a, last_error="mine")
        a.score = 42.0
        async with harness.uow_factory() as uow:
            await uow.assignments.update(a)
        outcome = replace(intent, outcome=OperationOutcome.REFUSED, finished_at=T0)
        async with harness.uow_factory() as uow:
            with pytest.raises(ConcurrentUpdate):
                await uow.protocol.store_outcomes([stale], [outcome])
            assert await uow.operations.for_assignment(a.assignment_id or 0) == [intent]
            (current,) = await uow.assignments.get_many([a.assignment_id or 0], for_update=True)
            current.last_error = "mine"
            await uow.protocol.store_outcomes([current], [outcome])
        stored = await load(harness, a.assignment_id)
        assert stored is not None
        assert (stored.score, stored.last_error) == (42.0, "mine")
        async with harness.uow_factory() as uow:
            assert await uow.operations.for_assignment(a.assignment_id or 0) == [outcome]

    async def test_an_outcome_of_an_unknown_operation_is_a_key_error(self, harness: Harness) -> None:
        with pytest.raises(KeyError):
            async with harness.uow_factory() as uow:
                await uow.protocol.store_outcomes([], [replace(operation(1), finished_at=T0)])

    async def test_the_outcome_store_writes_only_an_unchanged_assignment(self, harness: Harness) -> None:
        a, b = await store(harness, new_assignment(), new_assignment(vin=VIN_2))
        first, second = operation(a.assignment_id), operation(b.assignment_id)
        async with harness.uow_factory() as uow:
            await uow.protocol.store_intents([], [first, second])
        stale = replace(b, last_error="mine")
        b.score = 42.0
        async with harness.uow_factory() as uow:
            await uow.assignments.update(b)
        a.last_error = "refused"
        done = [replace(o, outcome=OperationOutcome.REFUSED, finished_at=T0) for o in (first, second)]

        assert await harness.uow_factory.outcomes.store_if_unchanged(a, done[0])
        assert not await harness.uow_factory.outcomes.store_if_unchanged(stale, done[1])

        assert a.version == 2
        assert await load(harness, a.assignment_id) == a
        stored_b = await load(harness, b.assignment_id)
        assert stored_b is not None
        assert (stored_b.score, stored_b.last_error) == (42.0, None)
        async with harness.uow_factory() as uow:
            assert await uow.operations.for_assignment(a.assignment_id or 0) == [done[0]]
            assert await uow.operations.for_assignment(b.assignment_id or 0) == [second]

    async def test_the_outcome_store_refuses_an_unknown_operation(self, harness: Harness) -> None:
        (a,) = await store(harness, new_assignment())
        changed = replace(a, last_error="refused")
        with pytest.raises(KeyError):
            await harness.uow_factory.outcomes.store_if_unchanged(
                changed, replace(operation(1), finished_at=T0)
            )
        assert await load(harness, a.assignment_id) == a  # nothing written
