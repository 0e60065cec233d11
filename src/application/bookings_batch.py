"""The bookings of many vehicles read at once (two queries), answering as vehicle_bookings does per item."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from application.bookings import activity_booking
from application.ports import UnitOfWork
from domain.assignment import Assignment
from domain.errors import Booking
from domain.reference import Activity


@dataclass(frozen=True)
class VehicleBookings:
    """Live assignments and current FMS activities of some vehicles over a span of days."""

    assignments: dict[str, list[Booking]]
    activities: dict[str, list[Activity]]

    def others_of(self, assignment: Assignment) -> list[Booking]:
        """What vehicle_bookings() would answer for this assignment: every other booking around its days."""
        start, end = assignment.start_day, assignment.end_day
        others = [
            b
            for b in self.assignments.get(assignment.vin, [])
            if b.assignment_id != assignment.assignment_id and b.start_day <= end and b.end_day >= start
        ]
        held = {b.activity_id for b in others if b.activity_id is not None}
        if assignment.activity_id is not None:
            held.add(assignment.activity_id)
        others.extend(
            activity_booking(a)
            for a in self.activities.get(assignment.vin, [])
            if a.activity_id not in held and a.start_day <= end and a.end_day >= start
        )
        return others

    def held(self, vin: str) -> list[Booking]:
        """Every booking of the vehicle: its assignments, and the activities no assignment holds."""
        bookings = list(self.assignments.get(vin, []))
        held = {b.activity_id for b in bookings if b.activity_id is not None}
        free = (a for a in self.activities.get(vin, []) if a.activity_id not in held)
        bookings.extend(activity_booking(a) for a in free)
        return bookings


async def bookings_of(uow: UnitOfWork, assignments: Sequence[Assignment]) -> VehicleBookings:
    """The bookings of every vehicle of these assignments, over the span of all their days."""
    if not assignments:
        return VehicleBookings({}, {})
    vins = {a.vin for a in assignments}
    start = min(a.start_day for a in assignments)
    end = max(a.end_day for a in assignments)
    return await bookings_in_span(uow, vins, start, end)


async def bookings_in_span(uow: UnitOfWork, vins: Iterable[str], start: date, end: date) -> VehicleBookings:
    """The bookings of these vehicles meeting [start, end] (two queries, whatever the number of vehicles)."""
    vins = sorted(set(vins))
    by_vin: dict[str, list[Booking]] = defaultdict(list)
    for booking in await uow.assignments.bookings_of_vehicles(vins, start, end):
        by_vin[booking.vin].append(booking)
    activities: dict[str, list[Activity]] = defaultdict(list)
    for activity in await uow.reference.activities_of_vehicles(vins, start, end):
        activities[activity.vin].append(activity)
    return VehicleBookings(dict(by_vin), dict(activities))
