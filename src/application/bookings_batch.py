"""The bookings of many vehicles read at once (two queries), answering as vehicle_bookings does per item."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from application.bookings import ALL_DAYS
from application.ports import UnitOfWork
from application.vehicle_bookings import VehicleBookings
from domain.assignment import Assignment
from domain.errors import Booking
from domain.reference import Activity


async def bookings_of(uow: UnitOfWork, assignments: Sequence[Assignment]) -> VehicleBookings:
    """The bookings of every vehicle of these assignments, over the span of all their days."""
    if not assignments:
        return VehicleBookings({}, {})
    vins = {a.vin for a in assignments}
    start = min(a.start_day for a in assignments)
    end = max(a.end_day for a in assignments)
    return await bookings_in_span(uow, vins, start, end)


async def bookings_in_span(uow: UnitOfWork, vins: Iterable[str], start: date, end: date) -> VehicleBookings:
    """The bookings of these vehicles meeting [start, end]: every current activity of the vehicles
    whatever its dates (FMS moves loans), and the assignments meeting the span or holding one of them."""
    wanted = sorted(set(vins))
    activities: dict[str, list[Activity]] = defaultdict(list)
    for activity in await uow.reference.activities_of_vehicles(wanted, *ALL_DAYS):
        activities[activity.vin].append(activity)
    held = {x.activity_id for found in activities.values() for x in found}
    by_vin: dict[str, list[Booking]] = defaultdict(list)
    for booking in await uow.assignments.bookings_of_vehicles(wanted, start, end, holding=held):
        by_vin[booking.vin].append(booking)
    return VehicleBookings(dict(by_vin), dict(activities))
