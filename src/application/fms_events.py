"""What FMS pushes about its vehicle requests (approved, rejected, cancelled), as the service keeps it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class FmsEventType(StrEnum):
    """The kinds of event FMS pushes to the webhook."""

    APPROVED = "request.approved"
    REJECTED = "request.rejected"
    CANCELLED = "request.cancelled"


@dataclass(frozen=True)
class FmsRequestEvent:
    """One pushed event: its unique id, its kind and the FMS request it is about."""

    event_id: str
    type: FmsEventType
    fms_request_id: int
    activity_id: int | None = None
    start_day: date | None = None
    end_day: date | None = None


@dataclass(frozen=True)
class ReceivedEvent:
    """An event as remembered: when it came and what applying it did."""

    event_id: str
    type: str
    fms_request_id: int
    received_at: datetime
    outcome: str  # received | applied | unchanged | unknown_request | deferred


@dataclass
class EventResult:
    """What applying one event did: `changed` lists (assignment_id, from_status, to_status)."""

    event_id: str
    outcome: str  # applied | unchanged | unknown_request | replayed | held
    changed: list[tuple[int, str, str]] = field(default_factory=list)
