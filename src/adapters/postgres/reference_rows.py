"""How reference records map to the report tables' rows, and back.

The tables hold every column of the FMS reports (reports.md); the domain records carry only what the
application reasons about, so report-only columns are written as NULL here and filled by the sync.
"""

from __future__ import annotations

from adapters.postgres.db import Record, Row
from application.records import ApprovedMake, Office
from domain.reference import Activity, Partner, Vehicle

OFFICE_COLUMNS = ("name", "active")
VEHICLE_COLUMNS = (
    "vin",
    "office",
    "fms_vehicle_id",
    "make",
    "model",
    "year",
    "color",
    "in_service_date",
    "expected_turn_in_date",
)
PARTNER_COLUMNS = (
    "person_id",
    "office",
    "name",
    "address",
    "default_loan_region",
    "affiliation",
    "activity_type_subcategory_id",
)
APPROVED_MAKE_COLUMNS = ("person_id", "name", "make", "rank")
CURRENT_ACTIVITY_COLUMNS = (
    "activity_id",
    "vin",
    "start_date",
    "end_date",
    "person_id",
    "activity_type",
    "activity_to",
)
LOAN_HISTORY_COLUMNS = (
    "activity_id",
    "vin",
    "start_date",
    "end_date",
    "person_id",
    "name",
    "office",
    "make",
    "model",
)


def office_values(o: Office) -> tuple[object, ...]:
    """Values of OFFICE_COLUMNS."""
    return (o.name, o.active)


def vehicle_values(v: Vehicle) -> tuple[object, ...]:
    """Values of VEHICLE_COLUMNS."""
    return (
        v.vin,
        v.office,
        v.fms_vehicle_id,
        v.make,
        v.model,
        v.year,
        v.color,
        v.in_service_date,
        v.expected_turn_in_date,
    )


def partner_values(p: Partner) -> tuple[object, ...]:
    """Values of PARTNER_COLUMNS."""
    return (
        p.person_id,
        p.office,
        p.name,
        p.address,
        p.default_loan_region,
        p.affiliation,
        p.activity_type_subcategory_id,
    )


def approved_make_values(m: ApprovedMake) -> tuple[object, ...]:
    """Values of APPROVED_MAKE_COLUMNS."""
    return (m.person_id, m.name, m.make, m.rank)


def current_activity_values(a: Activity) -> tuple[object, ...]:
    """Values of CURRENT_ACTIVITY_COLUMNS (office, make and model come from the vehicle, not stored)."""
    return (a.activity_id, a.vin, a.start_day, a.end_day, a.person_id, a.activity_type, a.partner_name)


def loan_history_values(a: Activity) -> tuple[object, ...]:
    """Values of LOAN_HISTORY_COLUMNS (activity_type is not part of the loan history report)."""
    return (
        a.activity_id,
        a.vin,
        a.start_day,
        a.end_day,
        a.person_id,
        a.partner_name,
        a.office,
        a.make,
        a.model,
    )


def vehicle_from_row(row: Record) -> Vehicle:
    """A Vehicle from its row."""
    return Vehicle(**{column: row[column] for column in VEHICLE_COLUMNS})


def partner_from_row(row: Record) -> Partner:
    """A Partner from its row."""
    return Partner(**{column: row[column] for column in PARTNER_COLUMNS})


def current_activity_from_row(row: Row) -> Activity:
    """A current activity from its row joined with its vehicle's office."""
    return Activity(
        activity_id=row["activity_id"],
        vin=row["vin"],
        start_day=row["start_date"],
        end_day=row["end_date"],
        person_id=row["person_id"],
        activity_type=row["activity_type"],
        partner_name=row["activity_to"],
        office=row["vehicle_office"],
    )


def loan_from_row(row: Record) -> Activity:
    """A past loan from its loan history row."""
    return Activity(
        activity_id=row["activity_id"],
        vin=row["vin"],
        start_day=row["start_date"],
        end_day=row["end_date"],
        person_id=row["person_id"],
        partner_name=row["name"],
        office=row["office"],
        make=row["make"],
        model=row["model"],
    )
