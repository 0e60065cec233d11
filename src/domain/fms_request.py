"""The FMS vehicle request value object (spec: fms-api.md) and how it is built from an assignment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.assignment import Assignment
from domain.reference import Partner, Vehicle

DEFAULT_REASON = "Scheduled media partner loan"
REFERENCE_PREFIX = "media-scheduler"


def scheduler_reference(assignment_id: int, operation_id: UUID) -> str:
    """The reference carried in requestor_notes so a request can be recognised later."""
    return f"{REFERENCE_PREFIX}:assignment={assignment_id}:op={operation_id}"


@dataclass(frozen=True)
class VehicleRequest:
    """Everything FMS needs to create one vehicle request."""

    requestor_id: int
    start_date: date
    end_date: date
    activity_type_id: int
    activity_to: str
    reason: str
    loanee_id: int
    vehicle_id: int
    vehicle_notes: str
    requestor_notes: str
    activity_type_subcategory_id: int | None = None


def build_vehicle_request(
    assignment: Assignment,
    *,
    vehicle: Vehicle,
    partner: Partner,
    requestor_id: int,
    activity_type_id: int,
    operation_id: UUID,
) -> VehicleRequest:
    """Translate an assignment into the request FMS expects."""
    assert assignment.assignment_id is not None
    assert vehicle.fms_vehicle_id is not None
    names = (vehicle.make or assignment.make, vehicle.model or assignment.model)
    make_model = " ".join(p for p in names if p)
    return VehicleRequest(
        requestor_id=requestor_id,
        start_date=assignment.start_day,
        end_date=assignment.end_day,
        activity_type_id=activity_type_id,
        activity_to=partner.name,
        reason=partner.affiliation or DEFAULT_REASON,
        loanee_id=partner.person_id,
        vehicle_id=vehicle.fms_vehicle_id,
        vehicle_notes=f"{make_model} (VIN: {assignment.vin})".strip(),
        requestor_notes=scheduler_reference(assignment.assignment_id, operation_id),
        activity_type_subcategory_id=partner.activity_type_subcategory_id,
    )
