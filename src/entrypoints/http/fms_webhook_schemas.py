"""Bodies of the FMS webhook: the event FMS pushes and the service's answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from application.fms_events import EventResult, FmsEventType, FmsRequestEvent
from entrypoints.http.json_depth import check_depth

# FMS ids are positive and fit PostgreSQL's bigint: anything else is a malformed event (400), never a
# value the database refuses (422, which FMS would retry forever).
FmsId = Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]


class PushedRequest(msgspec.Struct, kw_only=True):
    """The request an event is about; dates as FMS writes them (MM/DD/YY)."""

    id: FmsId
    activity_id: FmsId | None = None
    start_date: str | None = None
    end_date: str | None = None


class PushedEvent(msgspec.Struct, kw_only=True):
    """One event FMS pushes; unknown fields are accepted (FMS may add some)."""

    event_id: str
    type: Literal["request.approved", "request.rejected", "request.cancelled"]
    request: PushedRequest


class ChangedAssignment(msgspec.Struct):
    """An assignment the event moved."""

    assignment_id: int
    from_status: str
    to_status: str


class EventAnswer(msgspec.Struct):
    """The webhook's answer: what the event did (outcome applied, unchanged, waiting, replayed)."""

    event_id: str
    outcome: str
    changed: list[ChangedAssignment]


class EventRefused(ValueError):
    """The body is not an event the service understands."""


def _day(text: str | None, name: str) -> date | None:
    if text is None:
        return None
    try:
        return datetime.strptime(text, "%m/%d/%y").date()
    except ValueError:
        raise EventRefused(f"request.{name} must be MM/DD/YY") from None


def decode_event(body: bytes) -> FmsRequestEvent:
    """The pushed event, checked: a non-empty event id, an activity id when approved, FMS dates.

    A body nested too deeply is JsonTooDeep (400), as on every route (json_depth.py)."""
    check_depth(body)
    try:
        pushed = msgspec.json.decode(body, type=PushedEvent)
    except msgspec.ValidationError as exc:
        raise EventRefused(str(exc)) from None
    except msgspec.DecodeError:
        raise EventRefused("the body must be a JSON object") from None
    if not pushed.event_id.strip() or len(pushed.event_id) > 200:
        raise EventRefused("event_id must be 1 to 200 characters")
    kind = FmsEventType(pushed.type)
    if kind is FmsEventType.APPROVED and pushed.request.activity_id is None:
        raise EventRefused("request.activity_id is required with request.approved")
    return FmsRequestEvent(
        event_id=pushed.event_id,
        type=kind,
        fms_request_id=pushed.request.id,
        activity_id=pushed.request.activity_id,
        start_day=_day(pushed.request.start_date, "start_date"),
        end_day=_day(pushed.request.end_date, "end_date"),
    )


def answer_of(result: EventResult) -> EventAnswer:
    """The JSON answer for what applying the event did."""
    return EventAnswer(
        result.event_id, result.outcome, [ChangedAssignment(*change) for change in result.changed]
    )
