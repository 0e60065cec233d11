"""Ports: what the application needs from the outside world, as Protocols.

Port errors are in port_errors.py; adapters translate driver exceptions into them, so no asyncpg or
httpx exception ever crosses a port.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from application.calendar_bar import CalendarBar
from application.fms_events import ReceivedEvent
from application.records import (
    ApprovedMake,
    AssignmentEvent,
    FmsOperation,
    Office,
    OperationOutcome,
    OperationQuery,
    Window,
)
from application.request_context import RequestContext
from domain.assignment import Assignment
from domain.errors import Booking
from domain.fms_request import VehicleRequest
from domain.reference import Activity, Partner, Vehicle

# --- ports ---------------------------------------------------------------------------------------


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

    async def free_to_take_over(self, *, now: datetime, limit: int = 100) -> list[Assignment]:
        """In-flight assignments no live process holds and past their quiet time, oldest first."""
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


class ReferenceData(Protocol):
    """Read models of the FMS reports (vehicles, partners, makes, activities) and offices."""

    async def offices(self) -> list[Office]:
        """Active offices, by name."""
        ...

    async def vehicle(self, vin: str) -> Vehicle | None:
        """The vehicle with this VIN."""
        ...

    async def vehicles(
        self, *, office: str | None = None, vins: Iterable[str] | None = None
    ) -> list[Vehicle]:
        """Vehicles of an office and/or with these VINs, by VIN."""
        ...

    async def partner(self, person_id: int, office: str) -> Partner | None:
        """The partner record of a person in an office."""
        ...

    async def partners(self, *, office: str | None = None) -> list[Partner]:
        """Partners of an office (all when None), by name."""
        ...

    async def partners_of(self, keys: Iterable[tuple[int, str]]) -> list[Partner]:
        """The partner records of these (person_id, office) pairs that exist, by name."""
        ...

    async def approved_makes(self, *, office: str) -> list[ApprovedMake]:
        """Approved makes of the office's partners."""
        ...

    async def current_activities(self, window: Window) -> list[Activity]:
        """Current FMS activities meeting the window (office resolved through the vehicle)."""
        ...

    async def activities_of_vehicles(self, vins: Iterable[str], start: date, end: date) -> list[Activity]:
        """Current FMS activities of these vehicles meeting [start, end], by start."""
        ...

    async def loan_history(self, window: Window) -> list[Activity]:
        """Past loans meeting the window."""
        ...

    async def replace_offices(self, offices: Sequence[Office]) -> None:
        """Replace all offices."""
        ...

    async def replace_vehicles(self, vehicles: Sequence[Vehicle]) -> None:
        """Replace all vehicles."""
        ...

    async def replace_partners(self, partners: Sequence[Partner]) -> None:
        """Replace all partners."""
        ...

    async def replace_approved_makes(self, makes: Sequence[ApprovedMake]) -> None:
        """Replace all approved makes."""
        ...

    async def replace_current_activities(self, activities: Sequence[Activity]) -> None:
        """Replace the current-activity report."""
        ...

    async def replace_loan_history(self, activities: Sequence[Activity]) -> None:
        """Replace the loan history."""
        ...


class ReconciliationRepo(Protocol):
    """What reconciliation reads and writes inside one unit of work."""

    async def awaiting_activity(self) -> list[Assignment]:
        """Live assignments FMS may have approved (requested, or with a create pending), locked, by id."""
        ...

    async def active(self) -> list[Assignment]:
        """Live active assignments, locked, by id."""
        ...

    async def current_activities_of(self, vins: Collection[str]) -> list[Activity]:
        """Current activities of these vehicles."""
        ...

    async def claimed_activity_ids(self, activity_ids: Collection[int]) -> set[int]:
        """Those of the activity ids some assignment already holds."""
        ...

    async def in_loan_history(self, activity_ids: Collection[int]) -> set[int]:
        """Those of the activity ids the loan history has."""
        ...

    async def in_current_activity(self, activity_ids: Collection[int]) -> set[int]:
        """Those of the activity ids the current-activity report has."""
        ...

    async def record_event(self, event: AssignmentEvent) -> None:
        """Write down a change the sync made to an assignment."""
        ...

    async def events(self, assignment_id: int) -> list[AssignmentEvent]:
        """The sync's changes to one assignment, oldest first."""
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


class UnsettledOperations(Protocol):
    """A census of the FMS operations not yet settled (read at metrics scrape time)."""

    async def counts(self) -> dict[str, int]:
        """Live assignments per FMS state among creating, deleting and unknown."""
        ...


class ProtocolStore(Protocol):
    """The FMS protocol's reads and writes shaped to its steps (protocol/): one round trip each on a database.

    Each does what the other ports' methods named in its docstring do together, inside this transaction.
    """

    async def lock_for_request(self, assignment_ids: Sequence[int]) -> list[Assignment]:
        """Lock the vehicles of these assignments (lock_vehicles), then their rows (get_many for_update),
        in that order; the rows by id. Every returned assignment's vehicle is locked, even one whose VIN
        changed between the two."""
        ...

    async def request_context(self, assignments: Sequence[Assignment]) -> RequestContext:
        """The assignments' vehicles and partners, and their vehicles' bookings over the span of all their
        days (bookings_batch.bookings_of: every current activity of the vehicles, whatever its dates, and
        the live assignments meeting the span or holding one of those activities)."""
        ...

    async def store_intents(self, changed: Sequence[Assignment], intents: Sequence[FmsOperation]) -> None:
        """update_many(changed) and record_intents(intents) at once; ConcurrentUpdate when one is stale."""
        ...

    async def store_outcomes(self, changed: Sequence[Assignment], outcomes: Sequence[FmsOperation]) -> None:
        """update_many(changed) and record_outcomes(outcomes) at once. ConcurrentUpdate when an assignment
        is stale: no outcome is recorded then, and of one assignment nothing is; KeyError when an
        operation was never recorded."""
        ...


class UnitOfWork(Protocol):
    """One database transaction: commits when the block ends normally, rolls back on an exception."""

    @property
    def assignments(self) -> AssignmentRepo:
        """The assignments, inside this transaction."""
        ...

    @property
    def operations(self) -> FmsOperationLog:
        """The FMS audit log, inside this transaction."""
        ...

    @property
    def reference(self) -> ReferenceData:
        """The reference data, inside this transaction."""
        ...

    @property
    def holds(self) -> HoldRepo:
        """The leases of processes holding FMS operations, inside this transaction."""
        ...

    @property
    def reconciliation(self) -> ReconciliationRepo:
        """What the sync's reconciliation reads and writes, inside this transaction."""
        ...

    @property
    def fms_events(self) -> FmsEventLog:
        """The events FMS pushed, remembered by id so that each applies once, inside this transaction."""
        ...

    @property
    def protocol(self) -> ProtocolStore:
        """The FMS protocol's batched reads and writes, inside this transaction."""
        ...

    async def __aenter__(self) -> Self:
        """Begin the transaction."""
        ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Commit, or roll back when an exception is propagating."""
        ...


class OutcomeStore(Protocol):
    """Step 3's write for one FMS call, atomic on its own: no unit of work around it."""

    async def store_if_unchanged(self, changed: Assignment, outcome: FmsOperation) -> bool:
        """Store the assignment's change and complete its operation's audit row, at once, only while the
        assignment is at the version it was loaded at (then its version is bumped); False, with nothing
        stored, when it is not. KeyError when the operation was never recorded.

        The write may be acknowledged before it is durable: an outcome lost to a database crash leaves
        the durable intent, which the recovery worker settles (protocol/outcomes.py)."""
        ...


class UnitOfWorkFactory(Protocol):
    """Makes a fresh unit of work."""

    def __call__(self) -> UnitOfWork:
        """A new, not yet begun, unit of work."""
        ...

    @property
    def outcomes(self) -> OutcomeStore:
        """The one write that needs no unit of work, on the same storage."""
        ...


@dataclass(frozen=True)
class FmsAnswer:
    """A successful FMS answer: the HTTP status and, for a create, the new request's id."""

    status_code: int
    fms_request_id: int | None = None


class FmsGateway(Protocol):
    """The FMS vehicle-request API."""

    async def create_request(self, request: VehicleRequest) -> FmsAnswer:
        """Create a vehicle request (answer carries its id); raise an FmsCallError subclass otherwise."""
        ...

    async def delete_request(self, fms_request_id: int) -> FmsAnswer:
        """Delete a vehicle request; an unknown id (404) counts as done."""
        ...


class FmsRequestFinder(Protocol):
    """Optional FMS capability: find a vehicle request by the scheduler reference it carries."""

    async def find_by_reference(self, reference: str) -> int | None:
        """FMS's id of the request whose requestor_notes carry the reference; None when FMS holds none."""
        ...


class WorkerLock(Protocol):
    """A lock held by at most one process of every replica (one recovery worker at a time)."""

    def hold(self, name: str) -> AbstractAsyncContextManager[bool]:
        """Try to take the named lock for the block; yields False (without waiting) when another holds it."""
        ...


class Clock(Protocol):
    """The current time."""

    def now(self) -> datetime:
        """Now, timezone-aware UTC."""
        ...

    def today(self) -> date:
        """Today's date."""
        ...


class CalendarView(Protocol):
    """The calendar's read model: what the activity window shows, read in as few round trips as it can."""

    async def bars(self, window: Window) -> list[CalendarBar]:
        """Loan history, current activities and assignments meeting the window, sorted as shown."""
        ...
