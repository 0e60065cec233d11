"""Value types of the domain: statuses, FMS states, day ranges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

DEFAULT_LOAN_DAYS = 7


class Status(StrEnum):
    """The calendar colour of an assignment."""

    PLANNED = "planned"
    MANUAL = "manual"
    REQUESTED = "requested"
    ACTIVE = "active"
    COMPLETED = "completed"

    @property
    def is_green(self) -> bool:
        """Planned and manual are the editable, not-yet-requested statuses."""
        return self in (Status.PLANNED, Status.MANUAL)

    @property
    def owned_by_fms(self) -> bool:
        """Active and completed loans are FMS's; users cannot change them."""
        return self in (Status.ACTIVE, Status.COMPLETED)

    @property
    def settable(self) -> bool:
        """Planned, manual and requested: the statuses a person may set (the others follow FMS)."""
        return self in SETTABLE_STATUSES


SETTABLE_STATUSES = (Status.PLANNED, Status.MANUAL, Status.REQUESTED)


class FmsState(StrEnum):
    """Where the assignment's FMS vehicle request stands."""

    NONE = "none"
    CREATING = "creating"
    OPEN = "open"
    DELETING = "deleting"
    UNKNOWN = "unknown"

    @property
    def in_flight(self) -> bool:
        """A call is under way or its outcome is unsettled."""
        return self in (FmsState.CREATING, FmsState.DELETING, FmsState.UNKNOWN)


class PendingKind(StrEnum):
    """What an in-flight FMS operation is for."""

    CREATE = "create"
    UNREQUEST = "unrequest"
    DELETE = "delete"


class Resolution(StrEnum):
    """How a person settles an FMS operation that machines could not settle."""

    LINK = "link"  # FMS holds the request: link it by its id (create)
    NOT_SENT = "not_sent"  # FMS does not hold it: the create never happened
    DELETED = "deleted"  # FMS no longer holds the request (delete)
    STILL_OPEN = "still_open"  # FMS still holds the request: the delete did not happen


@dataclass(frozen=True)
class DayRange:
    """Days [start, end): a loan ending on D and the next starting on D touch but do not overlap."""

    start: date
    end: date

    def overlaps(self, other: DayRange) -> bool:
        """True when the ranges share at least one night (touching ends do not count)."""
        return self.start < other.end and other.start < self.end

    def touches_window(self, window_start: date, window_end: date) -> bool:
        """True when the range meets the inclusive calendar window [window_start, window_end]."""
        return self.start <= window_end and self.end >= window_start


def default_end(start_day: date) -> date:
    """The default end of a loan: a week after it starts."""
    return start_day + timedelta(days=DEFAULT_LOAN_DAYS)
