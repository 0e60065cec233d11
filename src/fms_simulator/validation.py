"""How the simulator checks a create body, the way FMS (Rails) does: 400, 422 or 404 with a message."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

DATE = re.compile(r"^\d{2}/\d{2}/\d{2}$")
REQUIRED = ("requestor_id", "start_date", "end_date")
OPTIONAL_TEXT = (
    "activity_to",
    "reason",
    "requestor_notes",
    "notes",
    "delivery_notes",
    "pickup_notes",
    "message_to_requestor",
)
OPTIONAL_INT = (
    "activity_type_id",
    "loanee_id",
    "activity_type_subcategory_id",
    "relocate_transportation_method_id",
)


class SimRefusal(Exception):
    """FMS refuses the call: an HTTP status and the detail of {"errors":[{"detail": ...}]}."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class NewRequest:
    """A create body that passed the checks."""

    requestor_id: int
    start_date: date
    end_date: date
    vehicles: tuple[tuple[int, str], ...]
    texts: dict[str, str]
    ints: dict[str, int]


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _date(name: str, value: Any) -> date:
    if not isinstance(value, str) or not DATE.match(value.strip()):
        raise SimRefusal(422, f"{name.replace('_', ' ').capitalize()} must be a date in MM/DD/YY format")
    try:
        return datetime.strptime(value.strip(), "%m/%d/%y").date()
    except ValueError:
        raise SimRefusal(422, f"{name.replace('_', ' ').capitalize()} is not a valid date") from None


def vehicle_ids_in(body: Any) -> frozenset[int]:
    """The vehicle ids a body names (for faults aimed at one vehicle), without judging the body."""
    request = body.get("request") if isinstance(body, dict) else None
    lines = request.get("requests_vehicles") if isinstance(request, dict) else None
    if not isinstance(lines, list):
        return frozenset()
    ids = (_int(line.get("vehicle_id")) for line in lines if isinstance(line, dict))
    return frozenset(i for i in ids if i is not None)


def parse_create(body: Any, vehicle_known: Callable[[int], bool]) -> NewRequest:
    """Check a create body; raise SimRefusal as FMS would."""
    request = body.get("request") if isinstance(body, dict) else None
    if not isinstance(request, dict) or not request:
        raise SimRefusal(400, "param is missing or the value is empty: request")
    missing = [name for name in REQUIRED if request.get(name) in (None, "")]
    if missing:
        raise SimRefusal(422, f"{', '.join(missing)} can't be blank")
    requestor_id = _int(request["requestor_id"])
    if requestor_id is None or requestor_id <= 0:
        raise SimRefusal(422, "Requestor must be a valid user id")
    start, end = _date("start_date", request["start_date"]), _date("end_date", request["end_date"])
    if end < start:
        raise SimRefusal(422, "End date must be on or after the start date")
    ints: dict[str, int] = {}
    for name in OPTIONAL_INT:
        if request.get(name) is not None:
            value = _int(request[name])
            if value is None:
                raise SimRefusal(422, f"{name} must be an integer")
            ints[name] = value
    texts = {name: str(request[name]) for name in OPTIONAL_TEXT if request.get(name) is not None}
    lines = request.get("requests_vehicles") or []
    if not isinstance(lines, list) or not all(isinstance(line, dict) for line in lines):
        raise SimRefusal(422, "requests_vehicles must be a list of {vehicle_id, notes}")
    vehicles: list[tuple[int, str]] = []
    for line in lines:
        vehicle_id = _int(line.get("vehicle_id"))
        if vehicle_id is None:
            raise SimRefusal(422, "vehicle_id can't be blank")
        if not vehicle_known(vehicle_id):
            raise SimRefusal(404, f"Couldn't find Vehicle with 'id'={vehicle_id}")
        vehicles.append((vehicle_id, str(line.get("notes") or "")))
    return NewRequest(requestor_id, start, end, tuple(vehicles), texts, ints)
