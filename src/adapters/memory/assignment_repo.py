"""MemoryAssignmentRepo: the assignment repository over the in-memory store."""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from uuid import UUID

from adapters.memory.store import MemoryStore
from application.port_errors import ConcurrentUpdate, ConflictingWrite
from application.records import Window
from domain.assignment import Assignment
from domain.errors import Booking
from domain.values import Status


def booking_of(a: Assignment) -> Booking:
    """How an assignment shows when it blocks its vehicle."""
    return Booking(
        vin=a.vin,
        start_day=a.start_day,
        end_day=a.end_day,
        holder=f"assignment {a.assignment_id} ({a.partner_name or a.person_id}, {a.status})",
        assignment_id=a.assignment_id,
        activity_id=a.activity_id,
        person_id=a.person_id,
        status=a.status.value,
    )


def _meets_or_holds(a: Assignment, start: date, end: date, holding: Collection[int]) -> bool:
    return a.days.touches_window(start, end) or (a.activity_id is not None and a.activity_id in holding)


class MemoryAssignmentRepo:
    """Assignments in a dict; copies in and out so callers never share state with the store."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def get(self, assignment_id: int, *, for_update: bool = False) -> Assignment | None:
        """Load an assignment by id (removed ones too)."""
        found = self._store.tables.assignments.get(assignment_id)
        return copy.deepcopy(found)

    async def get_many(self, assignment_ids: Sequence[int], *, for_update: bool = False) -> list[Assignment]:
        """Load several assignments (missing ids left out), in id order."""
        rows = self._store.tables.assignments
        return [copy.deepcopy(rows[i]) for i in sorted(set(assignment_ids)) if i in rows]

    async def add(self, assignment: Assignment) -> Assignment:
        """Insert a new assignment and give it an id."""
        tables = self._store.tables
        assignment.assignment_id = tables.next_assignment_id
        assignment.version = 1
        tables.next_assignment_id += 1
        tables.assignments[assignment.assignment_id] = copy.deepcopy(assignment)
        return assignment

    async def update(self, assignment: Assignment) -> None:
        """Store changes with an optimistic version check."""
        assert assignment.assignment_id is not None
        stored = self._store.tables.assignments.get(assignment.assignment_id)
        if stored is None or stored.version != assignment.version:
            raise ConcurrentUpdate(f"assignment {assignment.assignment_id} changed since it was read")
        self._ensure_sole_holder(assignment)
        assignment.version += 1
        self._store.tables.assignments[assignment.assignment_id] = copy.deepcopy(assignment)

    def _ensure_sole_holder(self, a: Assignment) -> None:
        """As the database's unique index: one live requested assignment per FMS request id."""
        if a.removed or a.status is not Status.REQUESTED:
            return
        for other in self._store.tables.assignments.values():
            if (
                other.assignment_id != a.assignment_id
                and not other.removed
                and other.status is Status.REQUESTED
                and other.fms_request_id == a.fms_request_id
            ):
                raise ConflictingWrite(
                    f"FMS request {a.fms_request_id} is already held by assignment {other.assignment_id}"
                )

    async def update_many(self, assignments: Sequence[Assignment]) -> None:
        """Store changes of several assignments; nothing is stored when any version is stale."""
        rows = self._store.tables.assignments
        for a in assignments:
            stored = rows.get(a.assignment_id or 0)
            if stored is None or stored.version != a.version:
                raise ConcurrentUpdate(f"assignment {a.assignment_id} changed since it was read")
        for a in assignments:
            await self.update(a)

    async def lock_vehicles(self, vins: Iterable[str]) -> None:
        """Nothing to do: a memory unit of work already holds the store's only lock."""

    async def bookings_of_vehicle(
        self,
        vin: str,
        start: date,
        end: date,
        *,
        exclude_assignment_id: int | None = None,
        holding: Collection[int] = (),
    ) -> list[Booking]:
        """Live assignments of the vehicle meeting [start, end] or holding one of these activities."""
        return [
            booking_of(a)
            for a in self._store.tables.assignments.values()
            if a.vin == vin
            and not a.removed
            and a.assignment_id != exclude_assignment_id
            and _meets_or_holds(a, start, end, holding)
        ]

    async def bookings_of_vehicles(
        self, vins: Iterable[str], start: date, end: date, *, holding: Collection[int] = ()
    ) -> list[Booking]:
        """Live assignments of these vehicles meeting [start, end] or holding these activities, by id."""
        wanted = set(vins)
        return [
            booking_of(a)
            for _, a in sorted(self._store.tables.assignments.items())
            if a.vin in wanted and not a.removed and _meets_or_holds(a, start, end, holding)
        ]

    async def in_window(self, window: Window, *, holding: Collection[int] = ()) -> list[Assignment]:
        """Live assignments, filtered, meeting the inclusive window or holding these activities."""
        return [
            copy.deepcopy(a)
            for a in sorted(self._store.tables.assignments.values(), key=lambda a: a.assignment_id or 0)
            if not a.removed
            and _meets_or_holds(a, window.start, window.end, holding)
            and (window.office is None or a.office == window.office)
            and (window.vin is None or a.vin == window.vin)
            and (window.person_id is None or a.person_id == window.person_id)
        ]

    async def remove_planned(self, office: str, start: date, end: date) -> int:
        """Tombstone planned assignments without an FMS request starting in [start, end)."""
        rows = self._store.tables.assignments
        doomed = [
            a
            for a in rows.values()
            if not a.removed
            and a.office == office
            and a.status is Status.PLANNED
            and not a.fms_state.in_flight
            and start <= a.start_day < end
        ]
        for a in doomed:
            assert a.assignment_id is not None
            rows[a.assignment_id] = replace(a, removed=True, version=a.version + 1)
        return len(doomed)

    def _waiting(self) -> list[tuple[datetime, Assignment]]:
        operations = self._store.tables.operations
        waiting: list[tuple[datetime, Assignment]] = []
        for a in self._store.tables.assignments.values():
            if a.removed or a.pending is None or not a.fms_state.in_flight:
                continue
            op = operations.get(a.pending.operation_id)
            waiting.append((op.started_at if op is not None else datetime.min.replace(tzinfo=UTC), a))
        waiting.sort(key=lambda pair: (pair[0], pair[1].assignment_id or 0))
        return waiting

    async def in_flight(self, *, limit: int = 500) -> list[Assignment]:
        """Live assignments waiting on an FMS operation, oldest operation first."""
        return [copy.deepcopy(a) for _, a in self._waiting()[:limit]]

    async def free_to_take_over(
        self, *, now: datetime, limit: int = 100, mine: UUID | None = None
    ) -> list[Assignment]:
        """In-flight assignments past their quiet time held by no live process (or `mine`), oldest first."""
        holds = self._store.tables.holds
        free = []
        for _, a in self._waiting():
            assert a.pending is not None
            held_by = a.pending.held_by
            held = held_by is not None and held_by != mine and holds.get(held_by, now) > now
            quiet = a.pending.quiet_until is not None and a.pending.quiet_until > now
            if not held and not quiet:
                free.append(copy.deepcopy(a))
        return free[:limit]

    async def holding_request(self, fms_request_id: int) -> list[Assignment]:
        """Live requested assignments holding this FMS request id."""
        return [
            copy.deepcopy(a)
            for _, a in sorted(self._store.tables.assignments.items())
            if not a.removed and a.status is Status.REQUESTED and a.fms_request_id == fms_request_id
        ]
