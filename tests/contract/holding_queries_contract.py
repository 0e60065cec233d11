"""AssignmentRepo contract: the booking and window queries also return the holders of given activities.

An assignment holding an FMS activity books the union of both spans (domain.bookings), so the queries
find it through its activity even when its own days miss the window.
"""

from __future__ import annotations

from datetime import date

import pytest

from application.records import Window
from domain.values import Status
from tests.contract.harness import SF, VIN_1, VIN_2, Harness, new_assignment, store


def d(day: int) -> date:
    """A day of March 2025."""
    return date(2025, 3, day)


class HoldingQueriesContract:
    """Every AssignmentRepo adapter must pass these; subclasses provide the `harness` fixture."""

    @pytest.fixture
    def harness(self) -> Harness:
        """Overridden by each adapter's subclass."""
        raise NotImplementedError

    async def test_queries_add_the_holders_of_the_activities_asked_for(self, harness: Harness) -> None:
        held, other_held, meeting, _elsewhere, _gone = await store(
            harness,
            new_assignment(start_day=d(1), end_day=d(5), status=Status.ACTIVE, activity_id=71),
            new_assignment(vin=VIN_2, start_day=d(1), end_day=d(5), status=Status.ACTIVE, activity_id=72),
            new_assignment(start_day=d(20), end_day=d(27)),
            new_assignment(start_day=d(1), end_day=d(5), status=Status.ACTIVE, activity_id=73),
            new_assignment(start_day=d(1), end_day=d(5), activity_id=74, removed=True),
        )
        ids = (held.assignment_id, other_held.assignment_id, meeting.assignment_id)
        async with harness.uow_factory() as uow:
            repo = uow.assignments
            one = await repo.bookings_of_vehicle(VIN_1, d(20), d(25), holding={71, 72, 74})
            many = await repo.bookings_of_vehicles([VIN_1, VIN_2], d(20), d(25), holding=[72, 71, 74])
            window = await repo.in_window(Window(d(20), d(25)), holding=frozenset({71, 72, 74}))
            filtered = await repo.in_window(Window(d(20), d(25), office=SF), holding={71})
            excluded = await repo.bookings_of_vehicle(
                VIN_1, d(20), d(25), exclude_assignment_id=ids[0], holding={71}
            )
            plain = await repo.bookings_of_vehicle(VIN_1, d(20), d(25))
        assert sorted(b.assignment_id or 0 for b in one) == [ids[0], ids[2]]
        assert [b.assignment_id for b in many] == list(ids)
        assert [a.assignment_id for a in window] == list(ids)
        assert filtered == []
        assert [b.assignment_id for b in excluded] == [ids[2]]
        assert [b.assignment_id for b in plain] == [ids[2]]
        assert next(b for b in one if b.assignment_id == ids[0]).activity_id == 71
