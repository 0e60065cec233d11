"""Response bodies of the calendar reads."""

from __future__ import annotations

from datetime import date

import msgspec

from application.calendar_bar import CalendarBar


class OfficeOut(msgspec.Struct):
    """An office."""

    name: str
    active: bool


class VehicleOut(msgspec.Struct):
    """A vehicle of an office."""

    vehicle_id: int | None
    vin: str
    make: str | None
    model: str | None
    color: str | None
    office: str
    in_service_date: date | None
    expected_turn_in_date: date | None
    year: int | None


class VehiclesResponse(msgspec.Struct):
    """GET /api/calendar/vehicles."""

    office: str
    vehicles: list[VehicleOut]
    count: int


class PartnerOut(msgspec.Struct):
    """A media partner of an office."""

    person_id: int
    name: str
    office: str
    address: str | None
    default_loan_region: str | None
    affiliation: str | None


class PartnersResponse(msgspec.Struct):
    """GET /api/calendar/media-partners."""

    office: str
    partners: list[PartnerOut]
    count: int


class TiersResponse(msgspec.Struct):
    """GET /api/calendar/partner-tiers: person_id -> make -> rank."""

    office: str
    tiers: dict[str, dict[str, str]]


# One bar on the calendar: the read model's struct is the answer's item (no copy per row).
ActivityOut = CalendarBar


class Counts(msgspec.Struct):
    """Counts of the activity window."""

    past: int
    active: int
    planned: int
    total: int


class ActivityResponse(msgspec.Struct):
    """GET /api/calendar/activity."""

    office: str
    start_date: date
    end_date: date
    activities: list[ActivityOut]
    counts: Counts


class BusyPeriodOut(msgspec.Struct):
    """A span in which a vehicle is held: for an assignment holding an FMS activity, both their days."""

    assignment_id: int | None
    activity_id: int | None
    start_date: date
    end_date: date
    partner_name: str | None
    person_id: int | None
    status: str
    fms_start_date: date | None = None  # the FMS activity's dates, when one is involved
    fms_end_date: date | None = None
    assignment_start_date: date | None = None  # an assignment's own dates
    assignment_end_date: date | None = None
    dates_differ: bool = False


class BusyPeriodsResponse(msgspec.Struct):
    """GET /api/chain-builder/vehicle-busy-periods."""

    vin: str
    busy_periods: list[BusyPeriodOut]
    total_periods: int
