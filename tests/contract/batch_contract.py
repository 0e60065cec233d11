"""Contract of the batched port methods that bulk operations use (one round trip per batch on Postgres)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from uuid import uuid4

import pytest

from application.port_errors import ConcurrentUpdate
from application.records import OperationOutcome
from domain.assignment import PendingOperation
from domain.values import FmsState, PendingKind, Status
from tests.contract.assignment_queries_contract import d
from tests.contract.harness import (
    LA,
    SF,
    T0,
    VIN_1,
    VIN_2,
    VIN_3,
    Boom,
    Harness,
    fail_after,
    load,
    new_assignment,
    store,
)
from tests.contract.operation_log_contract import operation
from tests.contract.reference_data_contract import CURRENT, PARTNERS, VEHICLES, VIN_GONE


class BatchContract:
    """Every adapter set must pass these; subclasses provide the `harness` fixture."""

    @pytest.fixture
    def harness(self) -> Harness:
        """Overridden by each adapter's subclass."""
        raise NotImplementedError

    async def test_update_many_stores_every_change_and_bumps_versions(self, harness: Harness) -> None:
        a, b = await store(harness, new_assignment(), new_assignment(vin=VIN_2, score=0.5))
        op = uuid4()
        a.fms_state, a.pending, a.last_error = (
            FmsState.CREATING,
            PendingOperation(op, PendingKind.CREATE),
            "x",
        )
        b.removed, b.status, b.score = True, Status.MANUAL, None
        async with harness.uow_factory() as uow:
            await uow.assignments.update_many([a, b])
        assert (a.version, b.version) == (2, 2)
        assert await load(harness, a.assignment_id) == a
        assert await load(harness, b.assignment_id) == b

    async def test_update_many_of_nothing_is_a_no_op(self, harness: Harness) -> None:
        async with harness.uow_factory() as uow:
            await uow.assignments.update_many([])
        assert await harness.count_assignments() == 0

    async def test_one_stale_assignment_fails_the_batch_and_stores_nothing(self, harness: Harness) -> None:
        a, b = await store(harness, new_assignment(), new_assignment(vin=VIN_2))
        stale = replace(b)
        b.last_error = "changed elsewhere"
        async with harness.uow_factory() as uow:
            await uow.assignments.update(b)
        a.last_error, stale.last_error = "mine", "mine too"
        with pytest.raises(ConcurrentUpdate):
            async with harness.uow_factory() as uow:
                await uow.assignments.update_many([a, stale])
        stored_a, stored_b = await load(harness, a.assignment_id), await load(harness, b.assignment_id)
        assert stored_a is not None
        assert stored_b is not None
        assert (stored_a.last_error, stored_a.version) == (None, 1)
        assert (stored_b.last_error, stored_b.version) == ("changed elsewhere", 2)

    async def test_bookings_of_vehicles_meet_the_window_for_each_vin(self, harness: Harness) -> None:
        a, b, _, _, e = await store(
            harness,
            new_assignment(start_day=d(3), end_day=d(10)),
            new_assignment(vin=VIN_2, start_day=d(10), end_day=d(12)),  # starts on the window's last day
            new_assignment(vin=VIN_2, start_day=d(11), end_day=d(12)),  # after the window
            new_assignment(vin=VIN_3, start_day=d(3), end_day=d(10)),  # another vehicle
            new_assignment(vin=VIN_2, start_day=d(1), end_day=d(3)),  # ends on the window's first day
        )
        gone = new_assignment(start_day=d(4), end_day=d(6), removed=True)
        await store(harness, gone)
        async with harness.uow_factory() as uow:
            found = await uow.assignments.bookings_of_vehicles([VIN_2, VIN_1, VIN_1], d(3), d(10))
            single = await uow.assignments.bookings_of_vehicle(VIN_1, d(3), d(10))
            none = await uow.assignments.bookings_of_vehicles([], d(1), d(31))
        assert [x.assignment_id for x in found] == sorted(
            [a.assignment_id or 0, b.assignment_id or 0, e.assignment_id or 0]
        )
        assert [x for x in found if x.vin == VIN_1] == single
        assert none == []

    async def test_record_intents_then_outcomes(self, harness: Harness) -> None:
        a, b = await store(harness, new_assignment(), new_assignment(vin=VIN_2))
        first = operation(a.assignment_id, requestor_id=900, payload_summary="vehicle_id=101")
        second = operation(b.assignment_id, call="delete", purpose="unrequest", fms_request_id=5001)
        async with harness.uow_factory() as uow:
            await uow.operations.record_intents([first, second])
            await uow.operations.record_intents([])
        done_first = replace(
            first, outcome=OperationOutcome.SUCCESS, finished_at=T0 + timedelta(seconds=1), status_code=201
        )
        done_first.fms_request_id = 6001
        done_second = replace(
            second,
            outcome=OperationOutcome.AMBIGUOUS,
            finished_at=T0,
            error="Bad Gateway",
            fms_request_id=None,
        )
        async with harness.uow_factory() as uow:
            await uow.operations.record_outcomes([done_first, done_second])
            await uow.operations.record_outcomes([])
            assert await uow.operations.for_assignment(a.assignment_id or 0) == [done_first]
            (stored_second,) = await uow.operations.for_assignment(b.assignment_id or 0)
        assert stored_second == replace(done_second, fms_request_id=5001)  # the known id is kept

    async def test_an_outcome_of_an_unknown_operation_is_a_key_error(self, harness: Harness) -> None:
        (a,) = await store(harness, new_assignment())
        known = operation(a.assignment_id)
        async with harness.uow_factory() as uow:
            await uow.operations.record_intents([known])
        finished = [
            replace(o, outcome=OperationOutcome.REFUSED, finished_at=T0) for o in (known, operation(1))
        ]
        with pytest.raises(KeyError):
            async with harness.uow_factory() as uow:
                await uow.operations.record_outcomes(finished)

    async def test_intents_roll_back_with_their_unit_of_work(self, harness: Harness) -> None:
        (a,) = await store(harness, new_assignment())
        intents = [operation(a.assignment_id), operation(a.assignment_id)]
        with pytest.raises(Boom):
            await fail_after(harness, lambda uow: uow.operations.record_intents(intents))
        assert await harness.count_operations() == 0

    async def test_partners_of_finds_the_existing_pairs(self, harness: Harness) -> None:
        async with harness.uow_factory() as uow:
            await uow.reference.replace_partners(PARTNERS)
            found = await uow.reference.partners_of([(1, SF), (2, LA), (2, SF), (1, SF), (99, LA)])
            assert await uow.reference.partners_of([]) == []
        assert found == [PARTNERS[2], PARTNERS[1]]  # Ada Lovelace, Zoe Zed (SF): by name

    async def test_activities_of_vehicles_meet_the_window(self, harness: Harness) -> None:
        async with harness.uow_factory() as uow:
            await uow.reference.replace_vehicles(VEHICLES)
            await uow.reference.replace_current_activities(CURRENT)
            found = await uow.reference.activities_of_vehicles([VIN_1, VIN_2, VIN_GONE], d(5), d(6))
            later = await uow.reference.activities_of_vehicles([VIN_1, VIN_3], d(10), d(31))
        assert found == [CURRENT[3], CURRENT[0], CURRENT[2]]  # 900 and 901 start on the 3rd, 903 on the 5th
        assert later == [CURRENT[0]]  # 901 ends on the 10th: an inclusive window meets it
