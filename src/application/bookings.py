"""What holds a vehicle: live assignments and FMS's current activities, merged without double counting."""

from __future__ import annotations

from datetime import date

from application.ports import UnitOfWork
from application.records import Window
from domain.errors import Booking
from domain.reference import Activity


async def vehicle_bookings(
    uow: UnitOfWork,
    vin: str,
    start: date,
    end: date,
    *,
    exclude_assignment_id: int | None = None,
    own_activity_id: int | None = None,
) -> list[Booking]:
    """Every booking of the vehicle meeting [start, end]; an activity held by an assignment counts once.

    own_activity_id is the activity the excluded assignment became: it never conflicts with it.
    """
    bookings = await uow.assignments.bookings_of_vehicle(
        vin, start, end, exclude_assignment_id=exclude_assignment_id
    )
    held = {b.activity_id for b in bookings if b.activity_id is not None}
    if own_activity_id is not None:
        held.add(own_activity_id)
    for activity in await uow.reference.current_activities(Window(start=start, end=end, vin=vin)):
        if activity.activity_id not in held:
            bookings.append(activity_booking(activity))
    return bookings


def activity_booking(activity: Activity) -> Booking:
    """How a current FMS activity shows when it blocks its vehicle."""
    who = f" ({activity.partner_name})" if activity.partner_name else ""
    return Booking(
        vin=activity.vin,
        start_day=activity.start_day,
        end_day=activity.end_day,
        holder=f"FMS activity {activity.activity_id}{who}",
        activity_id=activity.activity_id,
        person_id=activity.person_id,
        status="active",
    )
