"""The repositories a unit of work holds: assignments, holds, the FMS audit log and the events FMS
pushed (reference data: reference.py)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from application.fms_events import ReceivedEvent
from application.records import (
    FmsOperation,
    OperationOutcome,
    OperationQuery,
    Window,
)
from domain.assignment import Assignment
from domain.errors import Booking


class AssignmentRepo(Protocol):
    """Assignments, including removed ones (tombstones), inside one unit of work."""

    async def get(self, assignment_id: int, *, for_update: bool = False) -> Assignment | None:
        """Load an assignment by id (removed ones too); with for_update, lock its row until commit."""
        ...

    async def get_many(self, assignment_ids: Sequence[int], *, for_update: bool = False) -> list[Assignment]:
        """Load several assignments in one go (missing ids are left out), locked in id order if asked."""
        ...

    async def add(self, assignment: Assignment) -> Assignment:
        """Insert a new assignment; return it with its assignment_id and version set."""
        ...

    async def update(self, assignment: Assignment) -> None:
        """Store changes; raise ConcurrentUpdate when the stored version is not the loaded one."""
        ...

    async def update_many(self, assignments: Sequence[Assignment]) -> None:
        """Store changes of distinct assignments in one go; ConcurrentUpdate when any version is stale."""
        ...

    async def lock_vehicles(self, vins: Iterable[str]) -> None:
        """Serialise every booking change of these vehicles until the unit of work ends."""
        ...

    async def bookings_of_vehicle(
        self,
        vin: str,
        start: date,
        end: date,
        *,
        exclude_assignment_id: int | None = None,
        holding: Collection[int] = (),
    ) -> list[Booking]:
        """Live assignments of the vehicle whose days meet [start, end] or holding one of these activities."""
        ...

    async def bookings_of_vehicles(
        self, vins: Iterable[str], start: date, end: date, *, holding: Collection[int] = ()
    ) -> list[Booking]:
        """Live assignments of these vehicles meeting [start, end] or holding these activities, by id."""
        ...

    async def in_window(self, window: Window, *, holding: Collection[int] = ()) -> list[Assignment]:
        """Live assignments, filtered as asked, whose days meet the window or holding these activities."""
        ...

    async def remove_planned(self, office: str, start: date, end: date) -> int:
        """Tombstone the office's planned assignments (no FMS request) starting in [start, end)."""
        ...

    async def in_flight(self, *, limit: int = 500) -> list[Assignment]:
        """Live assignments waiting on an FMS operation, oldest operation first."""
        ...

    async def free_to_take_over(
        self, *, now: datetime, limit: int = 100, mine: UUID | None = None
    ) -> list[Assignment]:
        """In-flight assignments past their quiet time held by no live process (or `mine`), oldest first."""
        ...

    async def holding_request(self, fms_request_id: int) -> list[Assignment]:
        """Live assignments that hold this FMS request id (requested: open or deleting)."""
        ...


class HoldRepo(Protocol):
    """Leases of the processes that hold FMS operations (one row per process identity)."""

    async def renew(self, holder_id: UUID, name: str, until: datetime, *, now: datetime) -> bool:
        """Register a new holder or extend a running lease; False when the lease lapsed (never revived)."""
        ...

    async def take_from(self, holder_id: UUID, *, now: datetime) -> bool:
        """True when the holder's lease has lapsed (it is then ended for good); False while it runs."""
        ...

    async def release(self, holder_id: UUID) -> None:
        """End a holder's lease for good (a clean stop)."""
        ...

    async def live(self, holder_ids: Iterable[UUID], *, now: datetime) -> set[UUID]:
        """Those of the holders whose lease is running at now (a read: takes nothing)."""
        ...


class FmsOperationLog(Protocol):
    """The audit log of FMS calls: intent written before the call, outcome after."""

    async def record_intent(self, operation: FmsOperation) -> None:
        """Write a new pending operation."""
        ...

    async def record_intents(self, operations: Sequence[FmsOperation]) -> None:
        """Write several new pending operations in one go."""
        ...

    async def record_outcome(
        self,
        operation_id: UUID,
        *,
        outcome: OperationOutcome,
        finished_at: datetime,
        status_code: int | None = None,
        fms_request_id: int | None = None,
        error: str | None = None,
    ) -> None:
        """Complete an operation with what FMS answered."""
        ...

    async def record_outcomes(self, operations: Sequence[FmsOperation]) -> None:
        """Complete several operations from their finished records (KeyError when one was never recorded)."""
        ...

    async def for_assignment(self, assignment_id: int) -> list[FmsOperation]:
        """Every operation of one assignment, oldest first."""
        ...

    async def for_assignments(self, assignment_ids: Collection[int]) -> dict[int, list[FmsOperation]]:
        """for_assignment of each of these assignments at once (one without operations is left out)."""
        ...

    async def query(self, query: OperationQuery) -> list[FmsOperation]:
        """Operations matching the query, newest first, at most query.limit."""
        ...


class FmsEventLog(Protocol):
    """The events FMS pushed to the webhook, each remembered by its event id."""

    async def remember(self, event: ReceivedEvent) -> bool:
        """Record the event; False (nothing written) when its event id is already recorded."""
        ...

    async def record_outcome(self, event_id: str, outcome: str) -> None:
        """Write down what applying the recorded event did."""
        ...

    async def get(self, event_id: str) -> ReceivedEvent | None:
        """The recorded event, or None."""
        ...

    async def waiting(self, fms_request_id: int | None, *, limit: int = 100) -> list[ReceivedEvent]:
        """Events still waiting for that request id (any, when None), oldest first, locked until commit."""
        ...
