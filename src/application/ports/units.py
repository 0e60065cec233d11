"""Units of work (one transaction each, with the repositories inside it), the FMS protocol's combined
reads and writes, and the one write that needs no unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Protocol, Self

from application.ports.reference import ReconciliationRepo, ReferenceData
from application.ports.repositories import AssignmentRepo, FmsEventLog, FmsOperationLog, HoldRepo
from application.records import (
    FmsOperation,
)
from application.request_context import RequestContext
from domain.assignment import Assignment


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
