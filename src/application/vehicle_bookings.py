"""The bookings of some vehicles over a span of days, as read in one go: what the request rules check."""

from __future__ import annotations

from dataclasses import dataclass

from domain.assignment import Assignment
from domain.bookings import meeting, merge_bookings
from domain.errors import Booking
from domain.reference import Activity


@dataclass(frozen=True)
class VehicleBookings:
    """Live assignments and current FMS activities of some vehicles over a span of days."""

    assignments: dict[str, list[Booking]]
    activities: dict[str, list[Activity]]

    def others_of(self, assignment: Assignment) -> list[Booking]:
        """What vehicle_bookings() would answer for this assignment: every other booking around its days."""
        others = [
            b for b in self.assignments.get(assignment.vin, []) if b.assignment_id != assignment.assignment_id
        ]
        merged = merge_bookings(
            others, self.activities.get(assignment.vin, []), own_activity_id=assignment.activity_id
        )
        return meeting(merged, assignment.start_day, assignment.end_day)

    def held(self, vin: str) -> list[Booking]:
        """Every booking of the vehicle: its assignments (each merged with the activity it holds), and
        the activities no assignment holds."""
        return merge_bookings(self.assignments.get(vin, []), self.activities.get(vin, []))
