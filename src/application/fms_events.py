"""What FMS pushes about its vehicle requests (approved, rejected, cancelled), as the service keeps it."""

from __future__ import annotations

import hashlib
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

    @property
    def fingerprint(self) -> str:
        """What the event says, hashed: a redelivery (same event id) must say the same."""
        said = [
            self.event_id,
            self.type.value,
            self.fms_request_id,
            self.activity_id,
            self.start_day,
            self.end_day,
        ]
        return hashlib.sha256(repr(said).encode()).hexdigest()


@dataclass(frozen=True)
class ReceivedEvent:
    """An event as remembered: when it came, what applying it did, and what it said."""

    event_id: str
    type: str
    fms_request_id: int
    received_at: datetime
    outcome: str  # received | applied | unchanged | waiting (| unknown_request: before events waited)
    activity_id: int | None = None
    fingerprint: str | None = None  # None for events remembered before fingerprints were kept

    def as_event(self) -> FmsRequestEvent:
        """The event again, to apply it later (a waiting one)."""
        return FmsRequestEvent(self.event_id, FmsEventType(self.type), self.fms_request_id, self.activity_id)


@dataclass
class EventResult:
    """What applying one event did: `changed` lists (assignment_id, from_status, to_status)."""

    event_id: str
    outcome: str  # applied | unchanged | waiting | replayed
    changed: list[tuple[int, str, str]] = field(default_factory=list)
