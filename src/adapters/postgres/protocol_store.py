"""PostgresProtocolStore: the FMS protocol's reads and writes, one statement each.

What ComposedProtocolStore (the memory adapter) does in several calls, each method here does in one
round trip: the vehicle locks and row locks of a Request together, the request rules' reference data
and bookings together, and an assignment's change with its audit row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from adapters.postgres.assignment_rows import assignment_from_row, assignment_values, booking_from_row
from adapters.postgres.batch_sql import assignment_arrays, intent_arrays, intent_values, outcome_arrays
from adapters.postgres.db import PgConnection, PgPool, Record
from adapters.postgres.errors import translate_errors
from adapters.postgres.pool import ran_transactions_only
from adapters.postgres.protocol_sql import (
    BOOKING_COLUMNS,
    LOCK_FOR_REQUEST,
    REQUEST_CONTEXT,
    STORE_INTENTS,
    STORE_ONE_INTENT,
    STORE_ONE_OUTCOME,
    STORE_OUTCOMES,
)
from adapters.postgres.reference_rows import (
    CURRENT_ACTIVITY_COLUMNS,
    PARTNER_COLUMNS,
    VEHICLE_COLUMNS,
    current_activity_from_row,
)
from adapters.postgres.vehicle_locks import LOCK_VEHICLES
from application.port_errors import ConcurrentUpdate
from application.records import FmsOperation
from application.request_context import RequestContext
from application.vehicle_bookings import VehicleBookings
from domain.assignment import Assignment
from domain.errors import Booking
from domain.reference import Activity, Partner, Vehicle


def _rows(record: Record, prefix: str, columns: Sequence[str]) -> list[dict[str, Any]]:
    """The rows of one of REQUEST_CONTEXT's subqueries, as dicts by column."""
    arrays = [record[f"{prefix}_{c}"] or [] for c in columns]
    return [dict(zip(columns, values, strict=True)) for values in zip(*arrays, strict=True)]


def _stale(changed: Sequence[Assignment], updated: Sequence[int]) -> ConcurrentUpdate:
    stale = {a.assignment_id for a in changed} - set(updated)
    return ConcurrentUpdate(f"assignments {sorted(i or 0 for i in stale)} changed since they were read")


class PostgresProtocolStore:
    """The protocol's statements on one connection whose transaction the unit of work owns."""

    def __init__(self, conn: PgConnection) -> None:
        self._conn = conn

    @translate_errors("locking assignments and their vehicles")
    async def lock_for_request(self, assignment_ids: Sequence[int]) -> list[Assignment]:
        """One statement; a second only for the vehicles of rows whose VIN changed meanwhile."""
        rows = await self._conn.fetch(LOCK_FOR_REQUEST, sorted(set(assignment_ids)))
        moved = sorted({row["vin"] for row in rows if not row["vehicle_locked"]})
        if moved:
            await self._conn.execute(LOCK_VEHICLES, moved)
        return [assignment_from_row(row) for row in rows]

    @translate_errors("reading what the request rules check")
    async def request_context(self, assignments: Sequence[Assignment]) -> RequestContext:
        """Vehicles, partners, current activities and bookings in one statement."""
        if not assignments:
            return RequestContext({}, {}, VehicleBookings({}, {}))
        pairs = sorted({(a.person_id, a.office) for a in assignments})
        record = await self._conn.fetchrow(
            REQUEST_CONTEXT,
            sorted({a.vin for a in assignments}),
            [p for p, _ in pairs],
            [o for _, o in pairs],
            min(a.start_day for a in assignments),
            max(a.end_day for a in assignments),
        )
        assert record is not None  # aggregates answer one row
        vehicles = {row["vin"]: Vehicle(**row) for row in _rows(record, "v", VEHICLE_COLUMNS)}
        partners = [Partner(**row) for row in _rows(record, "p", PARTNER_COLUMNS)]
        activities: dict[str, list[Activity]] = defaultdict(list)
        for row in _rows(record, "c", CURRENT_ACTIVITY_COLUMNS):
            vehicle = vehicles.get(row["vin"])
            row["vehicle_office"] = vehicle.office if vehicle is not None else None  # as the join answers
            activities[row["vin"]].append(current_activity_from_row(row))
        bookings: dict[str, list[Booking]] = defaultdict(list)
        for row in _rows(record, "b", BOOKING_COLUMNS):
            bookings[row["vin"]].append(booking_from_row(row))
        return RequestContext(
            vehicles=vehicles,
            partners={(p.person_id, p.office): p for p in partners},
            bookings=VehicleBookings(dict(bookings), dict(activities)),
        )

    @translate_errors("recording FMS operations")
    async def store_intents(self, changed: Sequence[Assignment], intents: Sequence[FmsOperation]) -> None:
        """The assignments and the new audit rows in one statement."""
        if not changed and not intents:
            return
        if len(changed) == len(intents) == 1:  # a single Request, Unrequest or Delete
            (a,), (intent,) = changed, intents
            updated = await self._conn.fetchval(
                STORE_ONE_INTENT, *assignment_values(a), a.assignment_id, a.version, *intent_values(intent)
            )
        else:
            updated = await self._conn.fetchval(
                STORE_INTENTS, *assignment_arrays(changed), *intent_arrays(intents)
            )
        if len(updated) != len(changed):
            raise _stale(changed, updated)
        for a in changed:
            a.version += 1

    @translate_errors("recording FMS outcomes")
    async def store_outcomes(self, changed: Sequence[Assignment], outcomes: Sequence[FmsOperation]) -> None:
        """The assignments and the completed audit rows in one statement."""
        if not changed and not outcomes:
            return
        record = await self._conn.fetchrow(
            STORE_OUTCOMES, *assignment_arrays(changed), *outcome_arrays(outcomes), len(changed)
        )
        assert record is not None
        if len(record["updated"]) != len(changed):
            raise _stale(changed, record["updated"])
        missing = {o.operation_id for o in outcomes} - {UUID(int=i.int) for i in record["recorded"]}
        if missing:
            raise KeyError(sorted(missing)[0])
        for a in changed:
            a.version += 1


class PostgresOutcomeStore:
    """Step 3's one write for one call: a single statement on a pooled connection, no transaction."""

    def __init__(self, pool: PgPool) -> None:
        self._pool = pool

    @translate_errors("recording an FMS outcome")
    async def store_if_unchanged(self, changed: Assignment, outcome: FmsOperation) -> bool:
        """The change and its audit row in one statement, only while the version is unchanged."""
        o = outcome
        async with self._pool.acquire() as conn:
            record = await conn.fetchrow(
                STORE_ONE_OUTCOME,
                *assignment_values(changed),
                changed.assignment_id,
                changed.version,
                o.operation_id,
                o.outcome.value,
                o.finished_at,
                o.status_code,
                o.error,
                o.fms_request_id,
            )
            ran_transactions_only(conn)  # its own transaction, ended: nothing to reset
        assert record is not None
        if not record["known"]:
            raise KeyError(outcome.operation_id)
        if not record["updated"]:
            return False
        changed.version += 1
        return True
