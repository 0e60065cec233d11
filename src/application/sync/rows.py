"""The typed rows of the six FMS reports (msgspec Structs), in file column order.

Field names are the columns of the report tables; msgspec converts each parsed row into these types
with strict=False (so '1234.0' is the integer 1234) and checks the constraints (a VIN is not empty, a
rank is one of five). The files have no header row: the order below is the contract (reports.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from msgspec import Meta, Struct


@dataclass(frozen=True)
class Numeric:
    """A decimal column's numeric(precision, scale): msgspec has no bounds for Decimal, so the cell parser
    (fields.amount) rounds to the scale and refuses what the column cannot hold."""

    precision: int
    scale: int


# Bounds are those of the column types (migrations 0001, 0002; tests/integration/test_report_bounds_schema.py
# compares them with information_schema): integer is 32 bits, bigint 64.
AMOUNT = Numeric(14, 2)
Amount = Annotated[Decimal, AMOUNT]
Text = Annotated[str, Meta(min_length=1)]
Id = Annotated[int, Meta(ge=0, le=2**63 - 1)]
Count = Annotated[int, Meta(ge=0, le=2**31 - 1)]
Year = Annotated[int, Meta(ge=1900, le=2200)]
Rank = Literal["A+", "A", "B", "C", "Pending"]


class VehicleRow(Struct, array_like=True, frozen=True, gc=False):
    """vehicles: one press-fleet vehicle (key: vin)."""

    fms_vehicle_id: Id | None
    year: Year | None
    make: str | None
    model: str | None
    model_short_name: str | None
    office: Text
    vin: Text
    fleet: str | None
    registration_exp: date | None
    insurance_exp: date | None
    current_mileage: Count | None
    in_service_date: date | None
    expected_turn_in_date: date | None
    notes: str | None
    color: str | None


class PartnerRow(Struct, array_like=True, frozen=True, gc=False):
    """media_partners: a person as a partner of one office (key: person_id, office)."""

    person_id: Id
    name: Text
    address: str | None
    office: Text
    default_loan_region: str | None
    notes: str | None
    affiliation: str | None
    activity_type_subcategory_id: Id | None


class ApprovedMakeRow(Struct, array_like=True, frozen=True, gc=False):
    """approved_makes: a partner's rank for one make (key: person_id, make)."""

    person_id: Id
    name: Text
    make: Text
    rank: Rank


class LoanHistoryRow(Struct, array_like=True, frozen=True, gc=False):
    """loan_history: a past loan (key: activity_id)."""

    activity_id: Id
    vin: Text
    person_id: Id | None
    make: str | None
    model: str | None
    year: Year | None
    model_short_name: str | None
    start_date: date
    end_date: date
    clips_received: bool | None
    office: str | None
    name: str | None
    partner_address: str | None
    region: str | None


class CurrentActivityRow(Struct, array_like=True, frozen=True, gc=False):
    """current_activity: a live loan, hold or event (key: activity_id); person_id may be empty."""

    activity_id: Id
    person_id: Id | None
    vin: Text
    activity_type: str | None
    start_date: date
    end_date: date
    activity_to: str | None
    partner_address: str | None
    region: str | None


class BudgetRow(Struct, array_like=True, frozen=True, gc=False):
    """budget_spending: what an office spent on a fleet in a quarter (key: office, fleet, year, quarter)."""

    fleet: Text
    office: Text
    year: Year
    quarter: Annotated[int, Meta(ge=1, le=4)]
    amount_used: Amount
