"""The simulator's stored request and how FMS shows it (camelCase JSON under "request")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from fms_simulator.validation import NewRequest
from fms_simulator.world import SimPartner, SimVehicle

REQUESTOR_NAMES = {1949: "D'Amato, Junior"}


def fms_date(day: date) -> str:
    """FMS's MM/DD/YY."""
    return day.strftime("%m/%d/%y")


@dataclass
class SimRequest:
    """A stored vehicle request; approved ones have become an activity."""

    id: int
    new: NewRequest
    line_ids: tuple[int, ...]
    status: str = "open"
    activity_id: int | None = None


def request_json(
    r: SimRequest,
    vehicle: Callable[[int], SimVehicle | None],
    person: Callable[[int], SimPartner | None],
) -> dict[str, Any]:
    """A request as FMS answers it: camelCase under "request"."""
    loanee_id = r.new.ints.get("loanee_id")
    partner = person(loanee_id) if loanee_id is not None else None
    lines = []
    first: SimVehicle | None = None
    for line_id, (vehicle_id, notes) in zip(r.line_ids, r.new.vehicles, strict=True):
        v = vehicle(vehicle_id)
        first = first or v
        line = {
            "id": line_id,
            "vehicleId": vehicle_id,
            "vehicleVin": v.vin if v else None,
            "vehicleMakeModel": f"{v.make} {v.model}" if v else None,
            "notes": notes,
            "status": r.status,
        }
        lines.append({"requestsVehicle": line})
    body = {
        "id": r.id,
        "requestorName": REQUESTOR_NAMES.get(r.new.requestor_id, f"User {r.new.requestor_id}"),
        "requestorId": r.new.requestor_id,
        "activityTo": r.new.texts.get("activity_to"),
        "reason": r.new.texts.get("reason"),
        "requestorNotes": r.new.texts.get("requestor_notes"),
        "activityTypeId": r.new.ints.get("activity_type_id"),
        "activityTypeSubcategoryId": r.new.ints.get("activity_type_subcategory_id"),
        "loaneeId": loanee_id,
        "loaneeName": partner.name if partner else None,
        "startDate": fms_date(r.new.start_date),
        "endDate": fms_date(r.new.end_date),
        "status": r.status,
        "activityId": r.activity_id,
        "officeName": first.office if first else None,
        "fleetName": f"{first.make} PR - Press" if first else None,
        "requestsVehicles": lines,
    }
    return {"request": body}
