"""PostgresAssignmentRepo: assignments in the assignments table, inside one unit of work's transaction."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from uuid import UUID

from adapters.postgres.assignment_rows import (
    ASSIGNMENT_COLUMNS,
    SELECT_ASSIGNMENTS,
    assignment_from_row,
    assignment_values,
    booking_from_row,
)
from adapters.postgres.batch_sql import (
    BOOKINGS_OF_VEHICLES,
    UPDATE_ASSIGNMENTS,
    assignment_arrays,
    update_one_sql,
)
from adapters.postgres.db import PgConnection, affected_rows
from adapters.postgres.errors import translate_errors
from adapters.postgres.vehicle_locks import LOCK_VEHICLES
from application.port_errors import ConcurrentUpdate
from application.records import Window
from domain.assignment import Assignment
from domain.errors import Booking

_N = len(ASSIGNMENT_COLUMNS)
_INSERT = (
    f"INSERT INTO assignments ({', '.join(ASSIGNMENT_COLUMNS)}) "
    f"VALUES ({', '.join(f'${i}' for i in range(1, _N + 1))}) RETURNING id, version"
)
_UPDATE = update_one_sql()

_BOOKINGS = (
    "SELECT id, vin, start_day, end_day, partner_name, person_id, status, activity_id FROM assignments "
    "WHERE vin = $1 AND NOT removed "
    "AND (start_day <= $3 AND end_day >= $2 OR activity_id = ANY($5::bigint[])) "
    "AND ($4::bigint IS NULL OR id <> $4) ORDER BY id"
)
_IN_WINDOW = (
    f"{SELECT_ASSIGNMENTS} WHERE NOT removed "
    "AND (start_day <= $2 AND end_day >= $1 OR activity_id = ANY($6::bigint[])) "
    "AND ($3::text IS NULL OR office = $3) AND ($4::text IS NULL OR vin = $4) "
    "AND ($5::bigint IS NULL OR person_id = $5) ORDER BY id"
)
_REMOVE_PLANNED = (
    "UPDATE assignments SET removed = true, removed_at = now(), version = version + 1, updated_at = now() "
    "WHERE NOT removed AND office = $1 AND status = 'planned' "
    "AND fms_state NOT IN ('creating', 'deleting', 'unknown') AND start_day >= $2 AND start_day < $3"
)

# Live assignments waiting on FMS, with their operation's audit row (o) for the oldest-first order.
_WAITING = (
    f"SELECT a.* FROM ({SELECT_ASSIGNMENTS} WHERE NOT removed "
    "AND fms_state IN ('creating', 'deleting', 'unknown')) AS a "
    "LEFT JOIN fms_operations o ON o.operation_id = a.pending_operation_id "
)
_IN_FLIGHT = f"{_WAITING}ORDER BY o.started_at NULLS FIRST, a.id LIMIT $1"
_FREE_TO_TAKE_OVER = (
    f"{_WAITING}"
    "LEFT JOIN fms_holders h ON h.holder_id = a.pending_held_by "
    "WHERE (h.lease_until IS NULL OR h.lease_until <= $1 OR a.pending_held_by = $3) "
    "AND (a.pending_quiet_until IS NULL OR a.pending_quiet_until <= $1) "
    "ORDER BY o.started_at NULLS FIRST, a.id LIMIT $2"
)
_HOLDING_REQUEST = (
    f"{SELECT_ASSIGNMENTS} WHERE fms_request_id = $1 AND NOT removed AND status = 'requested' ORDER BY id"
)


class PostgresAssignmentRepo:
    """Assignments on one connection whose transaction the unit of work owns."""

    def __init__(self, conn: PgConnection) -> None:
        self._conn = conn

    @translate_errors("loading an assignment")
    async def get(self, assignment_id: int, *, for_update: bool = False) -> Assignment | None:
        """Load an assignment by id (removed ones too); with for_update, lock its row until commit."""
        lock = " FOR UPDATE" if for_update else ""
        row = await self._conn.fetchrow(f"{SELECT_ASSIGNMENTS} WHERE id = $1{lock}", assignment_id)
        return assignment_from_row(row) if row is not None else None

    @translate_errors("loading assignments")
    async def get_many(self, assignment_ids: Sequence[int], *, for_update: bool = False) -> list[Assignment]:
        """Load several assignments (missing ids left out) in id order, locked in that order if asked."""
        lock = " FOR UPDATE" if for_update else ""
        rows = await self._conn.fetch(
            f"{SELECT_ASSIGNMENTS} WHERE id = ANY($1::bigint[]) ORDER BY id{lock}",
            sorted(set(assignment_ids)),
        )
        return [assignment_from_row(row) for row in rows]

    @translate_errors("adding an assignment")
    async def add(self, assignment: Assignment) -> Assignment:
        """Insert a new assignment; set its assignment_id and version."""
        row = await self._conn.fetchrow(_INSERT, *assignment_values(assignment))
        assert row is not None
        assignment.assignment_id = row["id"]
        assignment.version = row["version"]
        return assignment

    @translate_errors("updating an assignment")
    async def update(self, assignment: Assignment) -> None:
        """Store changes with an optimistic version check; bump the version of the passed object."""
        assert assignment.assignment_id is not None
        status = await self._conn.execute(
            _UPDATE, *assignment_values(assignment), assignment.assignment_id, assignment.version
        )
        if affected_rows(status) == 0:
            raise ConcurrentUpdate(f"assignment {assignment.assignment_id} changed since it was read")
        assignment.version += 1

    @translate_errors("updating assignments")
    async def update_many(self, assignments: Sequence[Assignment]) -> None:
        """Store changes of distinct assignments in one statement; ConcurrentUpdate when any is stale."""
        if not assignments:
            return
        updated = await self._conn.fetch(UPDATE_ASSIGNMENTS, *assignment_arrays(assignments))
        if len(updated) != len(assignments):
            stale = {a.assignment_id for a in assignments} - {row["id"] for row in updated}
            raise ConcurrentUpdate(
                f"assignments {sorted(i or 0 for i in stale)} changed since they were read"
            )
        for a in assignments:
            a.version += 1

    @translate_errors("locking vehicles")
    async def lock_vehicles(self, vins: Iterable[str]) -> None:
        """Take each vehicle's transaction advisory lock, in one global order so that nobody deadlocks."""
        wanted = sorted(set(vins))
        if wanted:
            await self._conn.execute(LOCK_VEHICLES, wanted)

    @translate_errors("reading the bookings of a vehicle")
    async def bookings_of_vehicle(
        self,
        vin: str,
        start: date,
        end: date,
        *,
        exclude_assignment_id: int | None = None,
        holding: Collection[int] = (),
    ) -> list[Booking]:
        """Live assignments of the vehicle whose days meet [start, end] or holding these activities."""
        rows = await self._conn.fetch(_BOOKINGS, vin, start, end, exclude_assignment_id, sorted(holding))
        return [booking_from_row(row) for row in rows]

    @translate_errors("reading the bookings of vehicles")
    async def bookings_of_vehicles(
        self, vins: Iterable[str], start: date, end: date, *, holding: Collection[int] = ()
    ) -> list[Booking]:
        """Live assignments of these vehicles whose days meet [start, end] or holding these activities."""
        rows = await self._conn.fetch(BOOKINGS_OF_VEHICLES, sorted(set(vins)), start, end, sorted(holding))
        return [booking_from_row(row) for row in rows]

    @translate_errors("reading assignments")
    async def in_window(self, window: Window, *, holding: Collection[int] = ()) -> list[Assignment]:
        """Live assignments, filtered as asked, meeting the window or holding these activities, by id."""
        rows = await self._conn.fetch(
            _IN_WINDOW, window.start, window.end, window.office, window.vin, window.person_id, sorted(holding)
        )
        return [assignment_from_row(row) for row in rows]

    @translate_errors("removing planned assignments")
    async def remove_planned(self, office: str, start: date, end: date) -> int:
        """Tombstone the office's planned assignments (no FMS request) starting in [start, end)."""
        return affected_rows(await self._conn.execute(_REMOVE_PLANNED, office, start, end))

    @translate_errors("reading assignments waiting on FMS")
    async def in_flight(self, *, limit: int = 500) -> list[Assignment]:
        """Live assignments waiting on an FMS operation, oldest operation first."""
        rows = await self._conn.fetch(_IN_FLIGHT, limit)
        return [assignment_from_row(row) for row in rows]

    @translate_errors("reading FMS operations free to take over")
    async def free_to_take_over(
        self, *, now: datetime, limit: int = 100, mine: UUID | None = None
    ) -> list[Assignment]:
        """In-flight assignments past their quiet time held by no live process (or `mine`), oldest first."""
        rows = await self._conn.fetch(_FREE_TO_TAKE_OVER, now, limit, mine)
        return [assignment_from_row(row) for row in rows]

    @translate_errors("finding the holder of an FMS request")
    async def holding_request(self, fms_request_id: int) -> list[Assignment]:
        """Live requested assignments holding this FMS request id."""
        rows = await self._conn.fetch(_HOLDING_REQUEST, fms_request_id)
        return [assignment_from_row(row) for row in rows]
