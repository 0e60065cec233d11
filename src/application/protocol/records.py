"""Records and errors shared by the steps of a bulk operation (see application/bulk.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from application.port_errors import FmsCallError
from application.ports import FmsAnswer
from application.records import FmsOperation
from domain.assignment import Assignment
from domain.fms_request import VehicleRequest


class BulkAction(StrEnum):
    """What a bulk operation does to each of its assignments (the single-item use-case it repeats)."""

    REQUEST = "request"
    UNREQUEST = "unrequest"
    DELETE = "delete"


@dataclass(frozen=True)
class BulkSettings:
    """Limits of bulk operations: ids per call and FMS calls under way at once."""

    max_items: int = 500
    max_concurrency: int = 8


@dataclass(frozen=True)
class ItemResult:
    """How one assignment of a bulk operation ended; assignment is its state after (None when unknown)."""

    index: int
    assignment_id: int
    assignment: Assignment | None
    error: Exception | None = None
    created_in_fms: bool = False
    deleted_from_fms: bool = False

    @property
    def success(self) -> bool:
        """True when the item did what was asked."""
        return self.error is None


@dataclass(frozen=True)
class PendingCall:
    """An FMS call whose intent is committed: the assignment as committed, its audit row, what to send."""

    index: int
    assignment: Assignment
    operation: FmsOperation
    request: VehicleRequest | None = None  # the create to send; None for a delete

    @property
    def assignment_id(self) -> int:
        """The assignment's id."""
        assert self.assignment.assignment_id is not None
        return self.assignment.assignment_id


@dataclass(frozen=True)
class CallOutcome:
    """What FMS answered to one call: an answer, or the error that says whether it may have acted."""

    call: PendingCall
    answer: FmsAnswer | None = None
    error: FmsCallError | None = None
