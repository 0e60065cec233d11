"""Set-based statements for the batched port methods: one statement (one round trip) per batch."""

from __future__ import annotations

from collections.abc import Sequence

from adapters.postgres.assignment_rows import ASSIGNMENT_COLUMNS, assignment_values
from application.records import FmsOperation
from domain.assignment import Assignment

# The SQL type of each column of ASSIGNMENT_COLUMNS, for the arrays unnest() turns back into rows.
_COLUMN_TYPES = {
    "vin": "text",
    "person_id": "bigint",
    "office": "text",
    "start_day": "date",
    "end_day": "date",
    "status": "text",
    "partner_name": "text",
    "make": "text",
    "model": "text",
    "score": "double precision",
    "fms_state": "text",
    "fms_request_id": "bigint",
    "activity_id": "bigint",
    "status_before_request": "text",
    "pending_operation_id": "uuid",
    "pending_kind": "text",
    "pending_target_status": "text",
    "pending_held_by": "uuid",
    "pending_quiet_until": "timestamptz",
    "last_error": "text",
    "removed": "boolean",
    "created_by": "text",
}
assert tuple(_COLUMN_TYPES) == ASSIGNMENT_COLUMNS, "every assignment column needs its SQL type here"

ASSIGNMENT_ARRAY_COUNT = 2 + len(ASSIGNMENT_COLUMNS)  # ids, loaded versions, then one per column


def _arrays(types: Sequence[str], first: int) -> str:
    """Parameters $first.. cast to arrays of these SQL types."""
    return ", ".join(f"${i}::{sql_type}[]" for i, sql_type in enumerate(types, first))


def update_assignments_sql(first: int = 1, *, only_if: str = "true") -> str:
    """UPDATE of many assignments from arrays (assignment_arrays) given as parameters $first..; each row
    only at the version it was loaded at, where the SQL condition only_if holds. Returns the ids updated."""
    arrays = _arrays(["bigint", "integer", *_COLUMN_TYPES.values()], first)
    return (
        "UPDATE assignments AS a SET "
        + ", ".join(f"{column} = u.{column}" for column in ASSIGNMENT_COLUMNS)
        + ", version = a.version + 1, updated_at = now(), "
        "removed_at = CASE WHEN u.removed THEN coalesce(a.removed_at, now()) END "
        f"FROM unnest({arrays}) AS u(id, loaded_version, {', '.join(ASSIGNMENT_COLUMNS)}) "
        f"WHERE a.id = u.id AND a.version = u.loaded_version AND {only_if} RETURNING a.id"
    )


UPDATE_ASSIGNMENTS = update_assignments_sql()
_REMOVED = ASSIGNMENT_COLUMNS.index("removed") + 1  # the parameter number of the removed flag


def update_one_sql(only_if: str = "true") -> str:
    """UPDATE of one assignment: $1.. its values (assignment_values), then its id and the version it was
    loaded at, where the SQL condition only_if holds. Returns its id when updated."""
    n = len(ASSIGNMENT_COLUMNS)
    return (
        "UPDATE assignments SET "
        + ", ".join(f"{column} = ${i}" for i, column in enumerate(ASSIGNMENT_COLUMNS, start=1))
        + ", version = version + 1, updated_at = now(), "
        f"removed_at = CASE WHEN ${_REMOVED} THEN coalesce(removed_at, now()) END "
        f"WHERE id = ${n + 1} AND version = ${n + 2} AND {only_if} RETURNING id"
    )


BOOKINGS_OF_VEHICLES = (
    "SELECT id, vin, start_day, end_day, partner_name, person_id, status, activity_id FROM assignments "
    "WHERE vin = ANY($1::text[]) AND NOT removed "
    "AND (start_day <= $3 AND end_day >= $2 OR activity_id = ANY($4::bigint[])) ORDER BY id"
)


def operation_outcomes_sql(first: int = 1, *, only_if: str = "true") -> str:
    """UPDATE of many audit rows from arrays (outcome_arrays) given as parameters $first.., where the
    SQL condition only_if holds. Returns the operation ids completed."""
    arrays = _arrays(["uuid", "text", "timestamptz", "integer", "text", "bigint"], first)
    return (
        "UPDATE fms_operations AS o SET outcome = u.outcome, finished_at = u.finished_at, "
        "status_code = u.status_code, error = u.error, "
        "fms_request_id = coalesce(u.fms_request_id, o.fms_request_id) "
        f"FROM unnest({arrays}) AS u(operation_id, outcome, finished_at, status_code, error, fms_request_id) "
        f"WHERE o.operation_id = u.operation_id AND {only_if} RETURNING o.operation_id"
    )


OPERATION_OUTCOMES = operation_outcomes_sql()

INTENT_COLUMNS = (
    "operation_id, assignment_id, call, purpose, actor, started_at, requestor_id, payload_summary, "
    "outcome, finished_at, status_code, fms_request_id, error"
)
INTENT_TYPES = (
    "uuid",
    "bigint",
    "text",
    "text",
    "text",
    "timestamptz",
    "bigint",
    "text",
    "text",
    "timestamptz",
    "integer",
    "bigint",
    "text",
)


def insert_intents_sql(first: int = 1) -> str:
    """INSERT of many audit rows from arrays (intent_arrays) given as parameters $first..."""
    return (
        f"INSERT INTO fms_operations ({INTENT_COLUMNS}) "
        f"SELECT * FROM unnest({_arrays(INTENT_TYPES, first)}) RETURNING operation_id"
    )


PARTNERS_OF = (
    "SELECT * FROM media_partners WHERE (person_id, office) IN "
    "(SELECT * FROM unnest($1::bigint[], $2::text[])) ORDER BY name, person_id, office"
)

ACTIVITIES_OF_VEHICLES = (
    "SELECT c.*, v.office AS vehicle_office FROM current_activity c LEFT JOIN vehicles v ON v.vin = c.vin "
    "WHERE c.vin = ANY($1::text[]) AND c.start_date <= $3 AND c.end_date >= $2 "
    "ORDER BY c.start_date, c.activity_id"
)


def columns_of(rows: Sequence[Sequence[object]], width: int) -> list[list[object]]:
    """Rows turned into one list per column (the arrays unnest() takes)."""
    return [[row[i] for row in rows] for i in range(width)]


def assignment_arrays(assignments: Sequence[Assignment]) -> list[list[object]]:
    """The arguments of UPDATE_ASSIGNMENTS: ids, loaded versions, then one array per column."""
    rows = [(a.assignment_id, a.version, *assignment_values(a)) for a in assignments]
    return columns_of(rows, len(ASSIGNMENT_COLUMNS) + 2)


def outcome_arrays(operations: Sequence[FmsOperation]) -> list[list[object]]:
    """The arguments of OPERATION_OUTCOMES, one array per column."""
    rows = [
        (o.operation_id, o.outcome.value, o.finished_at, o.status_code, o.error, o.fms_request_id)
        for o in operations
    ]
    return columns_of(rows, 6)


def intent_arrays(operations: Sequence[FmsOperation]) -> list[list[object]]:
    """The arguments of insert_intents_sql, one array per column."""
    return columns_of([intent_values(o) for o in operations], len(INTENT_TYPES))


def intent_values(o: FmsOperation) -> tuple[object, ...]:
    """The values of one fms_operations row, in the column order of the log's INSERT."""
    return (
        o.operation_id,
        o.assignment_id,
        o.call,
        o.purpose,
        o.actor,
        o.started_at,
        o.requestor_id,
        o.payload_summary,
        o.outcome.value,
        o.finished_at,
        o.status_code,
        o.fms_request_id,
        o.error,
    )
