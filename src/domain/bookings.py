"""What books a vehicle: assignments and FMS's current activities, an activity held by an assignment once.

An activity held by an assignment (the request it became) books the vehicle for the union of the
assignment's own days and the activity's days in the latest report: FMS extends, shortens and moves
loans, and both the plan and FMS must be respected until they agree again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from domain.errors import Booking
from domain.reference import Activity


def _fms_days(activity: Activity) -> str:
    return f"{activity.start_day.isoformat()}..{activity.end_day.isoformat()}"


def activity_booking(activity: Activity) -> Booking:
    """How a current FMS activity no assignment holds shows when it blocks its vehicle."""
    who = f" ({activity.partner_name})" if activity.partner_name else ""
    return Booking(
        vin=activity.vin,
        start_day=activity.start_day,
        end_day=activity.end_day,
        holder=f"FMS activity {activity.activity_id}{who}",
        activity_id=activity.activity_id,
        person_id=activity.person_id,
        status="active",
        fms_start_day=activity.start_day,
        fms_end_day=activity.end_day,
    )


def held_booking(assignment: Booking, activity: Activity) -> Booking:
    """An assignment and the activity it holds, as one booking over the union (hull) of their days."""
    return replace(
        assignment,
        start_day=min(assignment.start_day, activity.start_day),
        end_day=max(assignment.end_day, activity.end_day),
        holder=f"{assignment.holder} as FMS activity {activity.activity_id} (in FMS {_fms_days(activity)})",
        activity_id=activity.activity_id,
        fms_start_day=activity.start_day,
        fms_end_day=activity.end_day,
    )


def merge_bookings(
    assignments: Iterable[Booking], activities: Iterable[Activity], *, own_activity_id: int | None = None
) -> list[Booking]:
    """Assignment and activity bookings of a vehicle, each held activity merged into its assignment.

    own_activity_id is the activity of the assignment being checked: it never conflicts with it.
    """
    by_id = {x.activity_id: x for x in activities}
    held = {own_activity_id} if own_activity_id is not None else set()
    merged: list[Booking] = []
    for booking in assignments:
        activity = by_id.get(booking.activity_id) if booking.activity_id is not None else None
        if activity is None:
            merged.append(booking)
            continue
        merged.append(held_booking(booking, activity))
        held.add(activity.activity_id)
    merged.extend(activity_booking(x) for x in by_id.values() if x.activity_id not in held)
    return merged


def meeting(bookings: Iterable[Booking], start: date, end: date) -> list[Booking]:
    """The bookings whose days meet the inclusive span [start, end] (callers test real overlap)."""
    return [b for b in bookings if b.start_day <= end and b.end_day >= start]
