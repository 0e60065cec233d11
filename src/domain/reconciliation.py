"""Sync-driven rules: which current FMS activity a requested assignment became, and when a loan is over.

Pure functions over the aggregate and the report records; the sync applies their answers with
Assignment.activate() and Assignment.complete() (spec: status-machine.md, sync-driven changes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from domain.assignment import Assignment
from domain.reference import Activity
from domain.values import DayRange, PendingKind, Status


@dataclass(frozen=True)
class Match:
    """An assignment FMS approved: the current activity it became, and why it was chosen."""

    assignment_id: int
    activity: Activity
    reason: str


def awaits_activity(a: Assignment) -> bool:
    """Requested, or green with a create whose outcome is unsettled: FMS may have approved it."""
    if a.removed or a.assignment_id is None or a.status.owned_by_fms:
        return False
    if a.status is Status.REQUESTED:
        return True
    return a.pending is not None and a.pending.kind is PendingKind.CREATE


def activity_days(x: Activity) -> DayRange:
    """The nights an activity holds its vehicle (a same-day activity still holds one)."""
    return DayRange(x.start_day, max(x.end_day, x.start_day + timedelta(days=1)))


def _overlap_nights(a: DayRange, b: DayRange) -> int:
    return (min(a.end, b.end) - max(a.start, b.start)).days


def match_activities(
    assignments: Iterable[Assignment], activities: Iterable[Activity], *, claimed: Collection[int] = ()
) -> list[Match]:
    """Pair assignments awaiting approval with the current activities they became.

    Strict: same VIN, same person, overlapping days; an activity already held by an assignment
    (claimed) is never attached again. Among candidates the closest start wins (then the larger overlap,
    then the lower ids), decided globally so that each activity goes to at most one assignment and
    each assignment gets at most one activity. The result is ordered by assignment id.
    """
    by_key: dict[tuple[str, int], list[Activity]] = defaultdict(list)
    for x in activities:
        if x.person_id is not None and x.activity_id not in claimed:
            by_key[(x.vin, x.person_id)].append(x)
    ranked: list[tuple[tuple[int, int, int, int], Assignment, Activity]] = []
    for a in assignments:
        if not awaits_activity(a):
            continue
        assert a.assignment_id is not None
        for x in by_key.get((a.vin, a.person_id), ()):
            days = activity_days(x)
            if not a.days.overlaps(days):
                continue
            distance = abs((x.start_day - a.start_day).days)
            key = (distance, -_overlap_nights(a.days, days), x.activity_id, a.assignment_id)
            ranked.append((key, a, x))
    ranked.sort(key=lambda item: item[0])
    taken_assignments: set[int] = set()
    taken_activities: set[int] = set()
    matches: list[Match] = []
    for (distance, _, _, _), a, x in ranked:
        assert a.assignment_id is not None
        if a.assignment_id in taken_assignments or x.activity_id in taken_activities:
            continue
        taken_assignments.add(a.assignment_id)
        taken_activities.add(x.activity_id)
        matches.append(Match(a.assignment_id, x, _match_reason(a, x, distance)))
    return sorted(matches, key=lambda m: m.assignment_id)


def _match_reason(a: Assignment, x: Activity, distance: int) -> str:
    return (
        f"FMS approved it: current activity {x.activity_id} has the same VIN {a.vin} and person "
        f"{a.person_id}, {x.start_day.isoformat()}..{x.end_day.isoformat()} overlaps "
        f"{a.start_day.isoformat()}..{a.end_day.isoformat()} (starts {distance} day(s) apart)"
    )


def completion_reason(
    a: Assignment, *, in_loan_history: bool, in_current_activity: bool, today: date
) -> str | None:
    """Why an active assignment's loan is over, or None while it is not.

    Over when its activity is in the loan history, or when it has left the current-activity report
    and the assignment's last day has passed (a loan still reported as current stays active, even late).
    """
    if a.removed or a.status is not Status.ACTIVE or a.activity_id is None:
        return None
    if in_loan_history:
        return f"the loan is over: activity {a.activity_id} is in the loan history"
    if not in_current_activity and today > a.end_day:
        return (
            f"the loan is over: activity {a.activity_id} left the current-activity report and its end "
            f"{a.end_day.isoformat()} has passed"
        )
    return None
