"""AssignmentRepo contract, query half: bookings of a vehicle, calendar windows, replacing a week."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from application.records import Window
from domain.errors import Booking
from domain.values import FmsState, Status
from tests.contract.harness import LA, SF, VIN_1, VIN_2, Harness, load, new_assignment, save, store


def d(day: int) -> date:
    """A day of March 2025."""
    return date(2025, 3, day)


class AssignmentQueriesContract:
    """Every AssignmentRepo adapter must pass these; subclasses provide the `harness` fixture."""

    @pytest.fixture
    def harness(self) -> Harness:
        """Overridden by each adapter's subclass."""
        raise NotImplementedError

    async def bookings(
        self, harness: Harness, vin: str, start: date, end: date, exclude_assignment_id: int | None = None
    ) -> list[int]:
        async with harness.uow_factory() as uow:
            found = await uow.assignments.bookings_of_vehicle(
                vin, start, end, exclude_assignment_id=exclude_assignment_id
            )
        return sorted(b.assignment_id or 0 for b in found)

    async def test_bookings_describe_the_assignment(self, harness: Harness) -> None:
        (a,) = await store(harness, new_assignment(start_day=d(3), end_day=d(10)))
        async with harness.uow_factory() as uow:
            found = await uow.assignments.bookings_of_vehicle(VIN_1, d(1), d(31))
        assert found == [
            Booking(
                vin=VIN_1,
                start_day=d(3),
                end_day=d(10),
                holder=f"assignment {a.assignment_id} (Pat Partner, planned)",
                assignment_id=a.assignment_id,
                person_id=101,
                status="planned",
            )
        ]

    @pytest.mark.parametrize(
        ("start", "end", "meets"),
        [
            (d(10), d(15), True),  # starts on the last day: an inclusive window meets it
            (d(1), d(3), True),  # ends on the first day
            (d(5), d(6), True),  # inside
            (d(1), d(20), True),  # around
            (d(11), d(20), False),  # after
            (d(1), d(2), False),  # before
        ],
    )
    async def test_bookings_meet_an_inclusive_window(
        self, harness: Harness, start: date, end: date, meets: bool
    ) -> None:
        (a,) = await store(harness, new_assignment(start_day=d(3), end_day=d(10)))
        assert await self.bookings(harness, VIN_1, start, end) == ([a.assignment_id] if meets else [])

    async def test_bookings_leave_out_other_vehicles_the_excluded_and_the_removed(
        self, harness: Harness
    ) -> None:
        kept, excluded, removed, _other = await store(
            harness,
            new_assignment(start_day=d(3), end_day=d(10)),
            new_assignment(start_day=d(10), end_day=d(17)),
            new_assignment(start_day=d(5), end_day=d(8)),
            new_assignment(vin=VIN_2, start_day=d(3), end_day=d(10)),
        )
        removed.begin_delete(uuid4())
        await save(harness, removed)
        assert excluded.assignment_id is not None
        found = await self.bookings(harness, VIN_1, d(1), d(31), exclude_assignment_id=excluded.assignment_id)
        assert found == [kept.assignment_id]

    async def window(self, harness: Harness, window: Window) -> list[int | None]:
        async with harness.uow_factory() as uow:
            return [a.assignment_id for a in await uow.assignments.in_window(window)]

    async def test_in_window_filters_by_days_office_vin_and_person(self, harness: Harness) -> None:
        la, sf, other_vin, other_person, later, removed = await store(
            harness,
            new_assignment(start_day=d(3), end_day=d(10)),
            new_assignment(office=SF, start_day=d(3), end_day=d(10)),
            new_assignment(vin=VIN_2, start_day=d(5), end_day=d(12)),
            new_assignment(person_id=202, start_day=d(10), end_day=d(17)),
            new_assignment(start_day=d(20), end_day=d(27)),
            new_assignment(start_day=d(4), end_day=d(6)),
        )
        removed.begin_delete(uuid4())
        await save(harness, removed)
        ids = [x.assignment_id for x in (la, sf, other_vin, other_person, later)]
        assert await self.window(harness, Window(d(1), d(31))) == ids
        assert await self.window(harness, Window(d(10), d(19))) == ids[:4]
        assert await self.window(harness, Window(d(1), d(2))) == []
        assert await self.window(harness, Window(d(1), d(31), office=SF)) == [sf.assignment_id]
        assert await self.window(harness, Window(d(1), d(31), vin=VIN_2)) == [other_vin.assignment_id]
        assert await self.window(harness, Window(d(1), d(31), person_id=202)) == [other_person.assignment_id]
        assert await self.window(harness, Window(d(1), d(9), office=LA, person_id=101)) == [
            la.assignment_id,
            other_vin.assignment_id,
        ]

    async def test_in_window_returns_whole_assignments(self, harness: Harness) -> None:
        (a,) = await store(harness, new_assignment(make="Honda", score=1.5, created_by="bob"))
        async with harness.uow_factory() as uow:
            assert await uow.assignments.in_window(Window(d(1), d(31))) == [a]

    async def test_remove_planned_tombstones_only_planned_unrequested_rows_starting_that_week(
        self, harness: Harness
    ) -> None:
        doomed_first, doomed_last, *kept = await store(
            harness,
            new_assignment(start_day=d(3), end_day=d(10)),
            new_assignment(vin=VIN_2, start_day=d(9), end_day=d(12)),
            new_assignment(start_day=d(10), end_day=d(17)),  # starts the next week
            new_assignment(vin=VIN_2, start_day=d(1), end_day=d(5)),  # started before
            new_assignment(status=Status.MANUAL, start_day=d(4), end_day=d(5)),
            new_assignment(office=SF, start_day=d(4), end_day=d(5)),
            new_assignment(fms_state=FmsState.UNKNOWN, start_day=d(5), end_day=d(6)),
            new_assignment(
                status=Status.REQUESTED,
                fms_state=FmsState.OPEN,
                fms_request_id=9,
                start_day=d(6),
                end_day=d(7),
            ),
        )
        async with harness.uow_factory() as uow:
            assert await uow.assignments.remove_planned(LA, d(3), d(10)) == 2
        for gone in (doomed_first, doomed_last):
            loaded = await load(harness, gone.assignment_id)
            assert loaded is not None
            assert loaded.removed
            assert loaded.version == 2
        for alive in kept:
            assert await load(harness, alive.assignment_id) == alive
        async with harness.uow_factory() as uow:
            assert await uow.assignments.remove_planned(LA, d(3), d(10)) == 0
