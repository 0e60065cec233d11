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

from adapters.postgres.assignment_rows import ASSIGNMENT_COLUMNS, assignment_from_row
from adapters.postgres.batch_sql import (
    ASSIGNMENT_ARRAY_COUNT,
    assignment_arrays,
    insert_intents_sql,
    intent_arrays,
    operation_outcomes_sql,
    outcome_arrays,
    update_assignments_sql,
)
from adapters.postgres.db import PgConnection, PgPool, Record
from adapters.postgres.errors import translate_errors
from adapters.postgres.pool import ran_transactions_only
from adapters.postgres.reference_rows import CURRENT_ACTIVITY_COLUMNS, PARTNER_COLUMNS, VEHICLE_COLUMNS
from adapters.postgres.vehicle_locks import LOCK_VEHICLES, lock_keys_sql, vehicle_lock_key
from application.port_errors import ConcurrentUpdate
from application.records import FmsOperation
from application.request_context import RequestContext
from application.vehicle_bookings import VehicleBookings
from domain.assignment import Assignment
from domain.errors import Booking
from domain.reference import Activity, Partner, Vehicle

# The vehicles of the rows first (their keys read from the rows, locked in key order), then the rows.
# The one-time filter on `locked` makes the database take every vehicle lock before it returns (and so
# locks) the first row. vehicle_locked is false for a row whose VIN changed in between (rare).
# The statements after it in its transaction (REQUEST_CONTEXT, STORE_INTENTS) keep one generic plan
# instead of being planned at every call: planning REQUEST_CONTEXT took longer than running it (0.45
# against 0.2 ms). set_config(..., true) ends with the transaction.
LOCK_FOR_REQUEST = (
    "WITH locked AS MATERIALIZED ("
    + lock_keys_sql(f"SELECT {vehicle_lock_key('vin')} AS k FROM assignments WHERE id = ANY($1::bigint[])")
    + f") SELECT id, version, {', '.join(ASSIGNMENT_COLUMNS)}, "
    f"{vehicle_lock_key('vin')} IN (SELECT k FROM locked) AS vehicle_locked, "
    "set_config('plan_cache_mode', 'force_generic_plan', true) AS plans_kept "
    "FROM assignments WHERE id = ANY($1::bigint[]) AND (SELECT count(*) FROM locked) >= 0 "
    "ORDER BY id FOR UPDATE"
)

_BOOKING_COLUMNS = ("id", "vin", "start_day", "end_day", "partner_name", "person_id", "status", "activity_id")


def _columns(prefix: str, columns: Sequence[str], source: str, order: str) -> str:
    """A one-row subquery: one array per column of source's rows, in order, named prefix_column."""
    arrays = ", ".join(f"array_agg({c} ORDER BY {order}) AS {prefix}_{c}" for c in columns)
    return f"(SELECT {arrays} FROM {source}) AS {prefix}"


# $1 the VINs, $2/$3 the (person_id, office) pairs, $4..$5 the span of the assignments' days.
REQUEST_CONTEXT = "SELECT * FROM " + ", ".join(
    [
        _columns("v", VEHICLE_COLUMNS, "vehicles WHERE vin = ANY($1::text[])", "vin"),
        _columns(
            "p",
            PARTNER_COLUMNS,
            "media_partners WHERE (person_id, office) IN (SELECT * FROM unnest($2::bigint[], $3::text[]))",
            "name, person_id, office",
        ),
        _columns(
            "c",
            CURRENT_ACTIVITY_COLUMNS,
            "current_activity WHERE vin = ANY($1::text[])",
            "start_date, activity_id",
        ),
        _columns(
            "b",
            _BOOKING_COLUMNS,
            "assignments WHERE vin = ANY($1::text[]) AND NOT removed AND (start_day <= $5 AND end_day >= $4 "
            "OR activity_id IN (SELECT activity_id FROM current_activity WHERE vin = ANY($1::text[])))",
            "id",
        ),
    ]
)

_ARRAYS = ASSIGNMENT_ARRAY_COUNT
STORE_INTENTS = (
    f"WITH updated AS ({update_assignments_sql()}), "
    f"recorded AS ({insert_intents_sql(_ARRAYS + 1)}) "
    "SELECT coalesce(array_agg(id), '{}') AS updated FROM updated"
)
# The outcomes are recorded only when every assignment was updated (the last parameter: how many).
_N = _ARRAYS + 7  # after the assignments' arrays and the outcomes' six
_OPERATION_IDS = f"${_ARRAYS + 1}::uuid[]"  # the outcomes' first array
_RECORD_OUTCOMES = operation_outcomes_sql(_ARRAYS + 1, only_if=f"(SELECT count(*) FROM updated) = ${_N}")
_ANSWER = (
    "(SELECT coalesce(array_agg(id), '{}') FROM updated) AS updated, "
    "(SELECT coalesce(array_agg(operation_id), '{}') FROM recorded) AS recorded"
)
STORE_OUTCOMES = (
    f"WITH updated AS ({update_assignments_sql()}), recorded AS ({_RECORD_OUTCOMES}) SELECT {_ANSWER}"
)

# One call's outcome outside any transaction (a statement is atomic on its own), acknowledged before
# its commit is flushed: set_config(..., true) lasts as long as the statement's own transaction. An
# outcome a database crash loses leaves the durable intent of step 1; the recovery worker settles it
# (a create by its reference, a delete by deleting again), as after a crash of this process. Nothing
# is written for an operation that was never recorded.
_RECORDED = f"EXISTS (SELECT 1 FROM fms_operations WHERE operation_id = ANY({_OPERATION_IDS}))"
STORE_OUTCOME_AT_ONCE = (
    f"WITH updated AS ({update_assignments_sql(only_if=_RECORDED)}), recorded AS ({_RECORD_OUTCOMES}) "
    f"SELECT set_config('synchronous_commit', 'off', true) AS commit_unflushed, {_RECORDED} AS known, "
    f"{_ANSWER}"
)


def _rows(record: Record, prefix: str, columns: Sequence[str]) -> list[dict[str, Any]]:
    """The rows of one of REQUEST_CONTEXT's subqueries, as dicts by column."""
    arrays = [record[f"{prefix}_{c}"] or [] for c in columns]
    return [dict(zip(columns, values, strict=True)) for values in zip(*arrays, strict=True)]


def _booking(row: dict[str, Any]) -> Booking:
    """As assignment_rows.booking_from_row words it."""
    return Booking(
        vin=row["vin"],
        start_day=row["start_day"],
        end_day=row["end_day"],
        holder=f"assignment {row['id']} ({row['partner_name'] or row['person_id']}, {row['status']})",
        assignment_id=row["id"],
        activity_id=row["activity_id"],
        person_id=row["person_id"],
        status=row["status"],
    )


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
            activities[row["vin"]].append(
                Activity(
                    activity_id=row["activity_id"],
                    vin=row["vin"],
                    start_day=row["start_date"],
                    end_day=row["end_date"],
                    person_id=row["person_id"],
                    activity_type=row["activity_type"],
                    partner_name=row["activity_to"],
                    office=vehicle.office if vehicle is not None else None,
                )
            )
        bookings: dict[str, list[Booking]] = defaultdict(list)
        for row in _rows(record, "b", _BOOKING_COLUMNS):
            bookings[row["vin"]].append(_booking(row))
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
        async with self._pool.acquire() as conn:
            record = await conn.fetchrow(
                STORE_OUTCOME_AT_ONCE, *assignment_arrays([changed]), *outcome_arrays([outcome]), 1
            )
            ran_transactions_only(conn)  # its own transaction, ended: nothing to reset
        assert record is not None
        if not record["known"]:
            raise KeyError(outcome.operation_id)
        if not record["updated"]:
            return False
        changed.version += 1
        return True
