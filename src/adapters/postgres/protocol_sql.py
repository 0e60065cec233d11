"""The SQL of PostgresProtocolStore and PostgresOutcomeStore: one statement per step of the protocol.

Batched statements take one array per column (unnest); a single Request's take scalar parameters,
which PostgreSQL runs faster (0.3 ms a statement less, measured: docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from adapters.postgres.assignment_rows import ASSIGNMENT_COLUMNS
from adapters.postgres.batch_sql import (
    ASSIGNMENT_ARRAY_COUNT,
    INTENT_COLUMNS,
    insert_intents_sql,
    operation_outcomes_sql,
    update_assignments_sql,
    update_one_sql,
)
from adapters.postgres.reference_rows import CURRENT_ACTIVITY_COLUMNS, PARTNER_COLUMNS, VEHICLE_COLUMNS
from adapters.postgres.vehicle_locks import lock_keys_sql, vehicle_lock_key

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

BOOKING_COLUMNS = ("id", "vin", "start_day", "end_day", "partner_name", "person_id", "status", "activity_id")


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
            BOOKING_COLUMNS,
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
_RECORD_OUTCOMES = operation_outcomes_sql(_ARRAYS + 1, only_if=f"(SELECT count(*) FROM updated) = ${_N}")
_ANSWER = (
    "(SELECT coalesce(array_agg(id), '{}') FROM updated) AS updated, "
    "(SELECT coalesce(array_agg(operation_id), '{}') FROM recorded) AS recorded"
)
STORE_OUTCOMES = (
    f"WITH updated AS ({update_assignments_sql()}), recorded AS ({_RECORD_OUTCOMES}) SELECT {_ANSWER}"
)

# --- one assignment, one audit row: scalar parameters -------------------------------------------
# $1..$22 the assignment's values (assignment_values), $23 its id, $24 the version it was loaded at.
_A = len(ASSIGNMENT_COLUMNS)
# Then the intent's values (batch_sql.intent_values), $25..$37.
STORE_ONE_INTENT = (
    f"WITH updated AS ({update_one_sql()}), recorded AS (INSERT INTO fms_operations ({INTENT_COLUMNS}) "
    f"VALUES ({', '.join(f'${i}' for i in range(_A + 3, _A + 16))}) RETURNING operation_id) "
    "SELECT coalesce(array_agg(id), '{}') AS updated FROM updated"
)
# Then the outcome: $25 operation id, $26 outcome, $27 finished_at, $28 status code, $29 error,
# $30 FMS request id. One call's outcome outside any transaction (a statement is atomic on its own),
# acknowledged before its commit is flushed: set_config(..., true) lasts as long as the statement's
# own transaction. An outcome a database crash loses leaves the durable intent of step 1; the
# recovery worker settles it (a create by its reference, a delete by deleting again), as after a crash
# of this process. Nothing is written for an operation that was never recorded.
_OP = f"${_A + 3}"
_KNOWN = f"EXISTS (SELECT 1 FROM fms_operations WHERE operation_id = {_OP})"
STORE_ONE_OUTCOME = (
    f"WITH updated AS ({update_one_sql(only_if=_KNOWN)}), recorded AS (UPDATE fms_operations SET "
    f"outcome = ${_A + 4}, finished_at = ${_A + 5}, status_code = ${_A + 6}, error = ${_A + 7}, "
    f"fms_request_id = coalesce(${_A + 8}, fms_request_id) "
    f"WHERE operation_id = {_OP} AND EXISTS (SELECT 1 FROM updated) RETURNING operation_id) "
    f"SELECT set_config('synchronous_commit', 'off', true) AS commit_unflushed, {_KNOWN} AS known, "
    "EXISTS (SELECT 1 FROM updated) AS updated"
)
