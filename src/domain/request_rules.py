"""The rules checked before a vehicle request is sent to FMS (spec: status-machine.md)."""

from __future__ import annotations

from collections.abc import Iterable

from domain.assignment import Assignment
from domain.errors import (
    Booking,
    BookingConflict,
    InvalidDates,
    NoRequestor,
    PartnerNotInOffice,
    VehicleNotInOffice,
    VehicleNotRequestable,
)
from domain.loan_dates import fms_day
from domain.reference import Partner, Vehicle
from domain.values import DayRange


def conflicting_bookings(days: DayRange, bookings: Iterable[Booking]) -> list[Booking]:
    """The bookings that overlap the days (touching ends are a hand-over, allowed)."""
    return [b for b in bookings if days.overlaps(DayRange(b.start_day, b.end_day))]


def ensure_no_conflict(days: DayRange, bookings: Iterable[Booking]) -> None:
    """Raise BookingConflict listing every overlapping booking."""
    clashes = conflicting_bookings(days, bookings)
    if clashes:
        raise BookingConflict(clashes)


def check_booking_office(
    office: str, *, vin: str, vehicle: Vehicle, person_id: int, partner: Partner | None
) -> Partner:
    """A booking's vehicle and its partner are both of the booking's office (the vehicle is named first);
    the partner, once checked.

    Checked when a booking is created and again before it is requested: the vehicles report may have
    moved the vehicle to another office since, and bookings stored before this rule may break it.
    """
    if vehicle.office != office:
        raise VehicleNotInOffice(vin, vehicle.office, office)
    if partner is None or partner.office != office:
        raise PartnerNotInOffice(f"media partner {person_id} is not a partner of office {office}")
    return partner


def check_request_rules(
    assignment: Assignment,
    *,
    vehicle: Vehicle | None,
    partner: Partner | None,
    requestor_id: int | None,
    other_bookings: Iterable[Booking],
) -> tuple[Vehicle, Partner, int]:
    """Check every rule before a request; return what the FMS request is built from."""
    if vehicle is None:
        raise VehicleNotRequestable(
            assignment.vin,
            f"vehicle VIN {assignment.vin} is not in the vehicles report; re-sync vehicles, then try again",
        )
    if vehicle.fms_vehicle_id is None:
        raise VehicleNotRequestable(
            assignment.vin,
            f"vehicle VIN {assignment.vin} has no FMS vehicle_id, so FMS cannot be asked for it; "
            "fix the vehicle in FMS and re-sync vehicles",
        )
    partner = check_booking_office(
        assignment.office,
        vin=assignment.vin,
        vehicle=vehicle,
        person_id=assignment.person_id,
        partner=partner,
    )
    if assignment.start_day >= assignment.end_day:
        raise InvalidDates("start_day must be before end_day")
    fms_day(assignment.start_day, "start_day")  # FMS would read another century's day
    fms_day(assignment.end_day, "end_day")
    if requestor_id is None:
        raise NoRequestor("no FMS requestor id: the user has none and no default is configured")
    ensure_no_conflict(assignment.days, other_bookings)
    return vehicle, partner, requestor_id
