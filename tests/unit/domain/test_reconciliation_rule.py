"""The matching rule of the sync: strict, closest start, one activity per assignment, never a claimed one."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.assignment import Assignment, PendingOperation
from domain.reconciliation import activity_days, awaits_activity, completion_reason, match_activities
from domain.reference import Activity
from domain.values import FmsState, PendingKind, Status

VIN, OTHER_VIN, PERSON = "1HGCM82633A004352", "WAUZZZ8K9DA123456", 3001
D0 = date(2026, 6, 1)


def day(n: int) -> date:
    """D0 plus n days."""
    return D0 + timedelta(days=n)


def requested(
    assignment_id: int, start: int, length: int = 7, vin: str = VIN, person: int = PERSON
) -> Assignment:
    """A requested assignment."""
    return Assignment(
        vin, person, "Los Angeles", day(start), day(start + length), Status.REQUESTED,
        assignment_id=assignment_id, fms_state=FmsState.OPEN, fms_request_id=90 + assignment_id,
    )  # fmt: skip


def activity(
    activity_id: int, start: int, length: int = 7, vin: str = VIN, person: int | None = PERSON
) -> Activity:
    """A current activity."""
    return Activity(activity_id, vin, day(start), day(start + length), person_id=person)


def test_the_closest_start_wins_among_several_candidates() -> None:
    matches = match_activities([requested(1, 10)], [activity(500, 5), activity(501, 11), activity(502, 14)])
    assert [(m.assignment_id, m.activity.activity_id) for m in matches] == [(1, 501)]
    assert "same VIN" in matches[0].reason


def test_an_older_loan_of_the_same_vehicle_and_person_is_never_attached() -> None:
    older = activity(400, -30)  # the partner had this car last month
    assert match_activities([requested(1, 10)], [older]) == []


def test_other_vehicle_other_person_holds_and_claimed_activities_never_match() -> None:
    candidates = [
        activity(1, 10, vin=OTHER_VIN), activity(2, 10, person=4001), activity(3, 10, person=None),
        activity(4, 10),
    ]  # fmt: skip
    assert match_activities([requested(1, 10)], candidates, claimed={4}) == []


def test_one_activity_goes_to_one_assignment_the_closer_one() -> None:
    matches = match_activities([requested(1, 8), requested(2, 10)], [activity(600, 10)])
    assert [(m.assignment_id, m.activity.activity_id) for m in matches] == [(2, 600)]


def test_only_assignments_awaiting_approval_are_matched() -> None:
    green = Assignment(VIN, PERSON, "LA", day(10), day(17), Status.MANUAL, assignment_id=3)
    creating = Assignment(
        VIN, PERSON, "LA", day(10), day(17), Status.MANUAL, assignment_id=4, fms_state=FmsState.UNKNOWN,
        pending=PendingOperation(uuid4(), PendingKind.CREATE),
    )  # fmt: skip
    assert not awaits_activity(green)
    assert awaits_activity(creating)
    assert [m.assignment_id for m in match_activities([green, creating], [activity(7, 10)])] == [4]


def test_completion_reasons() -> None:
    a = requested(1, 0)
    a.activate(700)
    assert completion_reason(a, in_loan_history=True, in_current_activity=True, today=day(1)) is not None
    assert completion_reason(a, in_loan_history=False, in_current_activity=False, today=day(8)) is not None
    assert completion_reason(a, in_loan_history=False, in_current_activity=False, today=day(7)) is None
    assert completion_reason(a, in_loan_history=False, in_current_activity=True, today=day(30)) is None


assignments_st = st.lists(
    st.builds(
        requested,
        st.integers(1, 30),
        st.integers(0, 40),
        st.integers(1, 14),
        st.sampled_from([VIN, OTHER_VIN]),
        st.sampled_from([PERSON, 4001]),
    ),
    max_size=8,
    unique_by=lambda a: a.assignment_id,
)
activities_st = st.lists(
    st.builds(
        activity,
        st.integers(100, 130),
        st.integers(-20, 50),
        st.integers(0, 14),
        st.sampled_from([VIN, OTHER_VIN]),
        st.sampled_from([PERSON, 4001, None]),
    ),
    max_size=10,
    unique_by=lambda x: x.activity_id,
)


@settings(max_examples=300, deadline=None)
@given(assignments_st, activities_st, st.sets(st.integers(100, 130), max_size=3))
def test_matching_properties(
    assignments: list[Assignment], activities: list[Activity], claimed: set[int]
) -> None:
    matches = match_activities(assignments, activities, claimed=claimed)
    by_id = {a.assignment_id: a for a in assignments}
    used = [m.activity.activity_id for m in matches]
    assert len(used) == len(set(used)), "an activity went to two assignments"
    assert len(matches) == len({m.assignment_id for m in matches})
    for m in matches:
        a, x = by_id[m.assignment_id], m.activity
        assert (x.vin, x.person_id) == (a.vin, a.person_id)
        assert a.days.overlaps(activity_days(x))
        assert x.activity_id not in claimed
    # Closest start: no free candidate starts strictly closer than the one chosen.
    free = [x for x in activities if x.activity_id not in claimed and x.activity_id not in used]
    for m in matches:
        a = by_id[m.assignment_id]
        chosen = abs((m.activity.start_day - a.start_day).days)
        for x in free:
            if (x.vin, x.person_id) == (a.vin, a.person_id) and a.days.overlaps(activity_days(x)):
                assert abs((x.start_day - a.start_day).days) >= chosen
    # Maximal: an unmatched assignment has no free candidate left.
    matched = {m.assignment_id for m in matches}
    for a in assignments:
        if a.assignment_id not in matched:
            assert not [
                x
                for x in free
                if (x.vin, x.person_id) == (a.vin, a.person_id) and a.days.overlaps(activity_days(x))
            ]
    # Deterministic whatever the order of the inputs.
    again = match_activities(list(reversed(assignments)), list(reversed(activities)), claimed=claimed)
    assert [(m.assignment_id, m.activity.activity_id) for m in again] == [
        (m.assignment_id, m.activity.activity_id) for m in matches
    ]
