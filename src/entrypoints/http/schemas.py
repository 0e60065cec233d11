"""Request and response bodies of the HTTP API (msgspec Structs; field names kept for the frontend)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec

PgInt = Annotated[int, msgspec.Meta(ge=1, le=2_147_483_647)]
Vin = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Name = Annotated[str, msgspec.Meta(max_length=300)]
OfficeName = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


# --- requests (unknown fields are accepted and ignored) --------------------------------------------


class ScheduleAssignmentBody(msgspec.Struct):
    """A manual assignment to create."""

    vin: Vin
    person_id: PgInt
    start_day: date
    office: OfficeName
    partner_name: Name | None = None
    make: Name | None = None
    model: Name | None = None
    end_day: date | None = None


class ChainSlotBody(msgspec.Struct):
    """One vehicle of a partner's chain."""

    vin: Vin
    start_date: date
    end_date: date
    make: Name | None = None
    model: Name | None = None
    score: float | None = None


class SaveChainBody(msgspec.Struct):
    """A partner's chain of vehicles."""

    person_id: PgInt
    office: OfficeName
    chain: list[ChainSlotBody]
    partner_name: Name | None = None
    status: str | None = None


class VehicleChainSlotBody(msgspec.Struct):
    """One partner of a vehicle's chain."""

    person_id: PgInt
    start_date: date
    end_date: date
    partner_name: Name | None = None
    score: float | None = None


class SaveVehicleChainBody(msgspec.Struct):
    """A vehicle's chain of partners."""

    vin: Vin
    office: OfficeName
    chain: list[VehicleChainSlotBody]
    vehicle_make: Name | None = None
    vehicle_model: Name | None = None
    status: str | None = None


class ScheduleSlotBody(msgspec.Struct):
    """One planned assignment of a week's schedule."""

    vin: Vin
    person_id: PgInt
    start_day: date
    end_day: date | None = None
    make: Name | None = None
    model: Name | None = None
    partner_name: Name | None = None
    score: float | None = None


class SaveScheduleBody(msgspec.Struct):
    """A week's optimizer output for an office."""

    office: OfficeName
    week_start: date
    assignments: list[ScheduleSlotBody]


# --- responses -------------------------------------------------------------------------------------


class StatusChangeResponse(msgspec.Struct):
    """Answer to PATCH change-assignment-status."""

    success: bool
    message: str
    assignment_id: int
    old_status: str
    new_status: str
    fms_action: str
    fms_request_id: int | None
    fms_state: str


class CreateRequestResponse(msgspec.Struct):
    """Answer to POST create-vehicle-request."""

    success: bool
    message: str
    assignment_id: int
    fms_request_id: int | None
    fms_state: str
    status: str


class DeleteResponse(msgspec.Struct):
    """Answer to the two delete routes."""

    success: bool
    message: str
    assignment_id: int
    deleted_from_fms: bool


class AssignmentOut(msgspec.Struct):
    """An assignment as the frontend reads it."""

    assignment_id: int
    vin: str
    person_id: int
    start_day: date
    end_day: date
    office: str
    status: str
    fms_state: str
    fms_request_id: int | None
    activity_id: int | None
    partner_name: str | None
    make: str | None
    model: str | None
    last_error: str | None


class ScheduleAssignmentResponse(msgspec.Struct):
    """Answer to POST schedule-assignment."""

    success: bool
    message: str
    assignment: AssignmentOut


class SaveChainResponse(msgspec.Struct):
    """Answer to the chain saves."""

    success: bool
    message: str
    assignments_saved: int
    assignment_ids: list[int]


class SaveScheduleResponse(msgspec.Struct):
    """Answer to save-schedule."""

    success: bool
    message: str
    assignments_saved: int
    assignments_replaced: int
    assignment_ids: list[int]
