"""What holds a vehicle: live assignments and FMS's current activities, merged without double counting.

A held activity books the union of its assignment's days and its own days in the latest report
(domain.bookings), so every current activity of the vehicle is read, whatever its days: the current
report lists a handful per vehicle, and a loan FMS moved may book days that neither span meets.
"""

from __future__ import annotations

from datetime import date

from application.ports import UnitOfWork
from application.records import Window
from domain.bookings import meeting, merge_bookings
from domain.errors import Booking

# The span "whatever its days" means when reading a vehicle's current activities.
ALL_DAYS = (date.min, date.max)


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
    activities = await uow.reference.current_activities(Window(start=ALL_DAYS[0], end=ALL_DAYS[1], vin=vin))
    assignments = await uow.assignments.bookings_of_vehicle(
        vin,
        start,
        end,
        exclude_assignment_id=exclude_assignment_id,
        holding={x.activity_id for x in activities},
    )
    return meeting(merge_bookings(assignments, activities, own_activity_id=own_activity_id), start, end)
