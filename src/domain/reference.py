"""Reference data the domain reasons about (read models of the FMS reports)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Vehicle:
    """A press-fleet vehicle; fms_vehicle_id is FMS's internal id (None: cannot be requested)."""

    vin: str
    office: str
    fms_vehicle_id: int | None = None
    make: str | None = None
    model: str | None = None
    year: int | None = None
    color: str | None = None
    in_service_date: date | None = None
    expected_turn_in_date: date | None = None


@dataclass(frozen=True)
class Partner:
    """A media partner (a person) in one office."""

    person_id: int
    office: str
    name: str
    address: str | None = None
    default_loan_region: str | None = None
    affiliation: str | None = None
    activity_type_subcategory_id: int | None = None


@dataclass(frozen=True)
class Activity:
    """A loan as FMS reports it: current (active) or from loan history (completed)."""

    activity_id: int
    vin: str
    start_day: date
    end_day: date
    person_id: int | None = None
    activity_type: str | None = None
    partner_name: str | None = None
    office: str | None = None
    make: str | None = None
    model: str | None = None
