"""What the request rules read for a set of assignments, in one go."""

from __future__ import annotations

from dataclasses import dataclass

from application.vehicle_bookings import VehicleBookings
from domain.reference import Partner, Vehicle


@dataclass(frozen=True)
class RequestContext:
    """The assignments' vehicles (by VIN), partners (by person and office) and the vehicles' bookings."""

    vehicles: dict[str, Vehicle]
    partners: dict[tuple[int, str], Partner]
    bookings: VehicleBookings
