"""The FMS wire format (spec: fms-api.md): request bodies out, lenient decoding of answers in."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import msgspec

from domain.fms_request import VehicleRequest
from domain.loan_dates import fms_day

REQUESTS_PATH = "/api/v1/vehicle_requests"
MAX_MESSAGE = 300


def fms_date(day: date, field: str = "date") -> str:
    """FMS only accepts MM/DD/YY dates; a day its two-digit year cannot carry (domain/loan_dates.py)
    raises DateOutsideFmsWindow instead of being sent as a day of another century."""
    return fms_day(day, field).strftime("%m/%d/%y")


def create_body(request: VehicleRequest) -> dict[str, Any]:
    """The JSON body of POST /api/v1/vehicle_requests; DateOutsideFmsWindow for a date FMS cannot carry."""
    fields: dict[str, Any] = {
        "requestor_id": request.requestor_id,
        "start_date": fms_date(request.start_date, "start_date"),
        "end_date": fms_date(request.end_date, "end_date"),
        "activity_type_id": request.activity_type_id,
        "activity_to": request.activity_to,
        "reason": request.reason,
        "loanee_id": request.loanee_id,
        "requests_vehicles": [{"vehicle_id": request.vehicle_id, "notes": request.vehicle_notes}],
        "requestor_notes": request.requestor_notes,
    }
    if request.activity_type_subcategory_id is not None:
        fields["activity_type_subcategory_id"] = request.activity_type_subcategory_id
    return {"request": fields}


class _RequestId(msgspec.Struct):
    id: int | None = None


class _CreateAnswer(msgspec.Struct):
    request: _RequestId | None = None


def created_id(content: bytes) -> int | None:
    """The new request's id at request.id, or None when the answer has no usable id."""
    try:
        answer = msgspec.json.decode(content, type=_CreateAnswer, strict=False)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    if answer.request is None or answer.request.id is None or answer.request.id <= 0:
        return None
    return answer.request.id


def _text_of(entry: Any) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict):
        for key in ("detail", "message", "title", "error"):
            if isinstance(entry.get(key), str):
                return str(entry[key])
    return None


def _messages(document: Any) -> list[str]:
    if not isinstance(document, dict):
        return [m for m in (_text_of(e) for e in document) if m] if isinstance(document, list) else []
    errors = document.get("errors")
    if isinstance(errors, list):
        return [m for m in (_text_of(e) for e in errors) if m]
    if isinstance(errors, dict):  # Rails: {"errors": {"start_date": ["is invalid"]}}
        out = []
        for field, problems in errors.items():
            for problem in problems if isinstance(problems, list) else [problems]:
                out.append(f"{field} {problem}")
        return out
    single = _text_of(document.get("error")) or _text_of(document)
    return [single] if single else []


def error_message(content: bytes, content_type: str, status_code: int, reason: str) -> str:
    """FMS's own words for a refusal: from a JSON errors body, else short plain text, else the status."""
    text = ""
    try:
        text = "; ".join(_messages(msgspec.json.decode(content)))
    except msgspec.DecodeError:
        if "html" not in content_type.lower():
            text = content.decode("utf-8", errors="replace")
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return f"FMS answered {status_code} {reason}".strip()
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"
