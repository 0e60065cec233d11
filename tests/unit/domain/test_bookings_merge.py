"""The booking rule: a held activity and its assignment are one booking over the union of their days."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.bookings import merge_bookings
from domain.errors import Booking
from domain.reference import Activity
from domain.request_rules import conflicting_bookings
from domain.values import DayRange

VIN = "1HGCM82633A004352"
D0 = date(2026, 5, 1)


def day(n: int) -> date:
    """D0 plus n days."""
    return D0 + timedelta(days=n)


def assignment(assignment_id: int, start: int, end: int, activity_id: int | None = None) -> Booking:
    """An assignment's booking."""
    holder = f"assignment {assignment_id} (Pat, active)"
    return Booking(VIN, day(start), day(end), holder, assignment_id=assignment_id, activity_id=activity_id)


def activity(activity_id: int, start: int, end: int) -> Activity:
    """A current activity."""
    return Activity(activity_id, VIN, day(start), day(end), person_id=7, partner_name="Pat")


def test_the_issue_case_an_extended_loan_blocks_its_extension() -> None:
    merged = merge_bookings([assignment(1, 0, 7, activity_id=90)], [activity(90, 0, 19)])
    (booking,) = conflicting_bookings(DayRange(day(7), day(14)), merged)
    assert (booking.assignment_id, booking.activity_id, booking.start_day, booking.end_day) == (
        1,
        90,
        day(0),
        day(19),
    )
    assert booking.holder == ("assignment 1 (Pat, active) as FMS activity 90 (in FMS 2026-05-01..2026-05-20)")


def test_unheld_activities_stay_and_the_own_activity_goes() -> None:
    merged = merge_bookings(
        [assignment(1, 0, 7)], [activity(90, 10, 17), activity(91, 20, 27)], own_activity_id=91
    )
    assert [(b.assignment_id, b.activity_id, b.fms_start_day) for b in merged] == [
        (1, None, None),
        (None, 90, day(10)),
    ]


spans = st.tuples(st.integers(0, 60), st.integers(1, 20)).map(lambda s: (s[0], s[0] + s[1]))


@settings(max_examples=300, deadline=None)
@given(own=spans, fms=spans, new=spans, others=st.lists(spans, max_size=3))
def test_the_union_never_lets_an_overlapping_booking_through(
    own: tuple[int, int], fms: tuple[int, int], new: tuple[int, int], others: list[tuple[int, int]]
) -> None:
    unheld = [activity(100 + i, s, e) for i, (s, e) in enumerate(others)]
    merged = merge_bookings([assignment(1, *own, activity_id=90)], [activity(90, *fms), *unheld])
    union = DayRange(day(min(own[0], fms[0])), day(max(own[1], fms[1])))
    asked = DayRange(day(new[0]), day(new[1]))
    clashes = conflicting_bookings(asked, merged)
    assert (1 in {c.assignment_id for c in clashes}) == asked.overlaps(union)
    assert [b.activity_id for b in merged].count(90) == 1
    assert {c.activity_id for c in clashes if c.assignment_id is None} == {
        x.activity_id for x in unheld if asked.overlaps(DayRange(x.start_day, x.end_day))
    }
