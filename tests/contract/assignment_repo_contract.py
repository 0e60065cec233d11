"""AssignmentRepo contract, storage half: round trips, versions, locking calls and transactions."""

from __future__ import annotations

from dataclasses import replace
from uuid import uuid4

import pytest

from application.port_errors import ConcurrentUpdate
from domain.assignment import PendingOperation
from domain.values import FmsState, PendingKind, Status
from tests.contract.harness import VIN_1, VIN_2, Boom, Harness, fail_after, load, new_assignment, save, store


class AssignmentRepoContract:
    """Every AssignmentRepo adapter must pass these; subclasses provide the `harness` fixture."""

    @pytest.fixture
    def harness(self) -> Harness:
        """Overridden by each adapter's subclass."""
        raise NotImplementedError

    async def test_add_gives_an_id_and_the_first_version(self, harness: Harness) -> None:
        first, second = await store(harness, new_assignment(), new_assignment(vin=VIN_2))
        assert first.assignment_id is not None
        assert second.assignment_id is not None
        assert first.assignment_id != second.assignment_id
        assert first.version == second.version == 1

    async def test_every_field_round_trips(self, harness: Harness) -> None:
        original = new_assignment(
            status=Status.REQUESTED,
            partner_name="Ada Lovelace",
            make="Honda",
            model="Accord",
            score=0.8125,
            fms_state=FmsState.DELETING,
            fms_request_id=5001,
            activity_id=777,
            status_before_request=Status.MANUAL,
            pending=PendingOperation(uuid4(), PendingKind.UNREQUEST, Status.PLANNED),
            last_error="FMS said no",
            created_by="alice",
        )
        (added,) = await store(harness, replace(original))
        assert await load(harness, added.assignment_id) == replace(
            original, assignment_id=added.assignment_id, version=1
        )

    async def test_an_unsettled_create_round_trips(self, harness: Harness) -> None:
        operation = PendingOperation(uuid4(), PendingKind.CREATE)
        (added,) = await store(
            harness, new_assignment(status=Status.MANUAL, fms_state=FmsState.UNKNOWN, pending=operation)
        )
        loaded = await load(harness, added.assignment_id)
        assert loaded is not None
        assert loaded.pending == operation
        assert loaded.fms_state is FmsState.UNKNOWN
        assert loaded.status is Status.MANUAL
        assert loaded.score is None
        assert loaded.created_by is None

    async def test_removed_assignments_are_still_found_by_id(self, harness: Harness) -> None:
        (added,) = await store(harness, new_assignment())
        assert added.begin_delete(uuid4()) is False
        await save(harness, added)
        loaded = await load(harness, added.assignment_id)
        assert loaded is not None
        assert loaded.removed is True
        assert loaded.version == 2

    async def test_missing_id_is_none(self, harness: Harness) -> None:
        assert await load(harness, 987_654) is None

    async def test_get_many_in_id_order_without_missing_ids(self, harness: Harness) -> None:
        a, _, c = await store(
            harness, new_assignment(), new_assignment(vin=VIN_2), new_assignment(person_id=7)
        )
        ids = [c.assignment_id, a.assignment_id, 987_654, c.assignment_id]
        async with harness.uow_factory() as uow:
            found = await uow.assignments.get_many([i for i in ids if i is not None], for_update=True)
        assert [x.assignment_id for x in found] == [a.assignment_id, c.assignment_id]
        assert found[1] == c

    async def test_get_for_update_returns_the_same_assignment(self, harness: Harness) -> None:
        (added,) = await store(harness, new_assignment())
        assert added.assignment_id is not None
        async with harness.uow_factory() as uow:
            assert await uow.assignments.get(added.assignment_id, for_update=True) == added

    async def test_update_bumps_the_version_and_stores_changes(self, harness: Harness) -> None:
        (added,) = await store(harness, new_assignment())
        added.change_green_status(Status.MANUAL)
        await save(harness, added)
        assert added.version == 2
        assert await load(harness, added.assignment_id) == added

    async def test_stale_update_raises_concurrent_update(self, harness: Harness) -> None:
        (added,) = await store(harness, new_assignment())
        mine, theirs = await load(harness, added.assignment_id), await load(harness, added.assignment_id)
        assert mine is not None
        assert theirs is not None
        theirs.change_green_status(Status.MANUAL)
        await save(harness, theirs)
        mine.last_error = "stale write"
        with pytest.raises(ConcurrentUpdate):
            await save(harness, mine)
        assert await load(harness, added.assignment_id) == theirs

    async def test_update_of_an_unknown_id_raises_concurrent_update(self, harness: Harness) -> None:
        ghost = new_assignment(assignment_id=987_654, version=1)
        with pytest.raises(ConcurrentUpdate):
            await save(harness, ghost)

    async def test_an_exception_rolls_back_inserts(self, harness: Harness) -> None:
        added = new_assignment()
        with pytest.raises(Boom):
            await fail_after(harness, lambda uow: uow.assignments.add(added))
        assert await harness.count_assignments() == 0
        assert await load(harness, added.assignment_id) is None

    async def test_an_exception_rolls_back_updates(self, harness: Harness) -> None:
        (added,) = await store(harness, new_assignment())
        before = replace(added)
        added.change_green_status(Status.MANUAL)
        with pytest.raises(Boom):
            await fail_after(harness, lambda uow: uow.assignments.update(added))
        assert await load(harness, added.assignment_id) == before

    async def test_lock_vehicles_accepts_any_vins(self, harness: Harness) -> None:
        async with harness.uow_factory() as uow:
            await uow.assignments.lock_vehicles([VIN_2, VIN_1, VIN_1])
            await uow.assignments.lock_vehicles([])
            added = await uow.assignments.add(new_assignment(vin=VIN_2))
        assert await load(harness, added.assignment_id) == added
