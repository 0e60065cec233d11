"""The protocol's batched reads and writes, composed from a unit of work's other repositories."""

from __future__ import annotations

from collections.abc import Sequence

from application.bookings_batch import bookings_of
from application.port_errors import ConcurrentUpdate
from application.ports import UnitOfWork, UnitOfWorkFactory
from application.records import FmsOperation
from application.request_context import RequestContext
from domain.assignment import Assignment


class ComposedProtocolStore:
    """ProtocolStore as the sum of its parts: the reference every adapter's combined statements match."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def lock_for_request(self, assignment_ids: Sequence[int]) -> list[Assignment]:
        """Peek at the VINs, lock them, lock the rows, then lock any VIN that changed in between."""
        repo = self._uow.assignments
        peeked = {a.vin for a in await repo.get_many(assignment_ids)}
        await repo.lock_vehicles(sorted(peeked))
        rows = await repo.get_many(assignment_ids, for_update=True)
        await repo.lock_vehicles(sorted({a.vin for a in rows} - peeked))
        return rows

    async def request_context(self, assignments: Sequence[Assignment]) -> RequestContext:
        """Vehicles, partners and bookings in three reads."""
        vins = {a.vin for a in assignments}
        vehicles = await self._uow.reference.vehicles(vins=vins) if vins else []
        partners = await self._uow.reference.partners_of({(a.person_id, a.office) for a in assignments})
        return RequestContext(
            vehicles={v.vin: v for v in vehicles},
            partners={(p.person_id, p.office): p for p in partners},
            bookings=await bookings_of(self._uow, assignments),
        )

    async def store_intents(self, changed: Sequence[Assignment], intents: Sequence[FmsOperation]) -> None:
        """The assignments, then the intents."""
        await self._uow.assignments.update_many(changed)
        await self._uow.operations.record_intents(intents)

    async def store_outcomes(self, changed: Sequence[Assignment], outcomes: Sequence[FmsOperation]) -> None:
        """The assignments (nothing when one is stale), then the outcomes."""
        await self._uow.assignments.update_many(changed)
        await self._uow.operations.record_outcomes(outcomes)


class UowOutcomeStore:
    """OutcomeStore as a unit of work of its own."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory

    async def store_if_unchanged(self, changed: Assignment, outcome: FmsOperation) -> bool:
        """store_outcomes in a unit of work; False when the assignment is stale (nothing stored)."""
        try:
            async with self._uow_factory() as uow:
                await uow.protocol.store_outcomes([changed], [outcome])
        except ConcurrentUpdate:
            return False
        return True
