"""Domain errors: a rule of the assignment lifecycle was broken."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


class DomainError(Exception):
    """Base of every rule violation decided by the domain."""


class InvalidTransition(DomainError):
    """The action is not allowed from the assignment's current status or FMS state."""


class FmsLockedStatus(InvalidTransition):
    """Active and completed assignments belong to FMS; people cannot change them."""


class OperationInProgress(InvalidTransition):
    """An FMS call for this assignment is under way or its outcome is not settled yet."""


class OperationHeld(OperationInProgress):
    """A live process holds the pending FMS operation (its call is queued or under way): hands off."""


class FmsMayStillAct(OperationInProgress):
    """After an unclear answer FMS may still act until `until` (the quiet time): nobody may conclude
    yet that it did not."""

    def __init__(self, message: str, until: datetime) -> None:
        super().__init__(message)
        self.until = until


class FmsRequestAlreadyHeld(InvalidTransition):
    """Another live assignment already holds this FMS request id: two may never share one."""


class RequestRuleViolation(DomainError):
    """A rule checked before sending a vehicle request to FMS failed."""


class VehicleNotRequestable(RequestRuleViolation):
    """The vehicle has no FMS vehicle id (or is unknown), so FMS cannot be asked for it."""

    def __init__(self, vin: str, reason: str) -> None:
        super().__init__(reason)
        self.vin = vin


class PartnerNotInOffice(RequestRuleViolation):
    """The media partner is not known for the assignment's office."""


class VehicleNotInOffice(RequestRuleViolation):
    """The vehicle belongs to another office than the booking's: each office books its own vehicles."""

    def __init__(self, vin: str, vehicle_office: str, office: str) -> None:
        super().__init__(
            f"vehicle VIN {vin} belongs to office {vehicle_office}, not {office}: "
            "a booking's vehicle must be one of its office's"
        )
        self.vin = vin
        self.vehicle_office = vehicle_office
        self.office = office


class InvalidDates(RequestRuleViolation):
    """start_day must come before end_day."""


class NoRequestor(RequestRuleViolation):
    """Nobody to attribute the FMS request to: neither the user's nor a default FMS id."""


@dataclass(frozen=True)
class Booking:
    """Something that holds a vehicle for a span of days (an assignment or an FMS activity)."""

    vin: str
    start_day: date
    end_day: date
    holder: str
    assignment_id: int | None = None
    activity_id: int | None = None
    person_id: int | None = None
    status: str | None = None
    fms_start_day: date | None = None  # the FMS activity's own days, when one is involved
    fms_end_day: date | None = None


MAX_LISTED_CONFLICTS = 50  # a 409 lists at most this many clashes, and says how many there are


class BookingConflict(DomainError):
    """The vehicle is already booked (overlapping, not merely touching) in those dates.

    `conflicts` lists at most MAX_LISTED_CONFLICTS of them; `total` counts them all.
    """

    def __init__(self, conflicts: list[Booking], total: int | None = None) -> None:
        self.total = max(total if total is not None else 0, len(conflicts))
        self.conflicts = conflicts[:MAX_LISTED_CONFLICTS]
        first = conflicts[0] if conflicts else None
        msg = "vehicle already booked in those dates"
        if first is not None:
            msg = (
                f"vehicle {first.vin} is already booked {first.start_day.isoformat()}.."
                f"{first.end_day.isoformat()} by {first.holder}"
                + (f" (and {self.total - 1} more)" if self.total > 1 else "")
            )
        super().__init__(msg)
