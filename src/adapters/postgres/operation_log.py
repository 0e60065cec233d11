"""PostgresFmsOperationLog: the audit log of FMS calls in the fms_operations table."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from uuid import UUID

from adapters.postgres.batch_sql import OPERATION_OUTCOMES, intent_values, outcome_arrays
from adapters.postgres.db import PgConnection, Record, affected_rows
from adapters.postgres.errors import translate_errors
from application.records import FmsOperation, OperationOutcome, OperationQuery

_COLUMNS = (
    "operation_id, assignment_id, call, purpose, actor, started_at, requestor_id, payload_summary, "
    "outcome, finished_at, status_code, fms_request_id, error"
)
_INSERT = f"INSERT INTO fms_operations ({_COLUMNS}) VALUES ({', '.join(f'${i}' for i in range(1, 14))})"
_OUTCOME = (
    "UPDATE fms_operations SET outcome = $2, finished_at = $3, status_code = $4, error = $5, "
    "fms_request_id = coalesce($6, fms_request_id) WHERE operation_id = $1"
)
_FOR_ASSIGNMENT = f"SELECT {_COLUMNS} FROM fms_operations WHERE assignment_id = $1 ORDER BY started_at, seq"
_FOR_ASSIGNMENTS = (
    f"SELECT {_COLUMNS} FROM fms_operations WHERE assignment_id = ANY($1::bigint[]) "
    "ORDER BY assignment_id, started_at, seq"
)
_QUERY = (
    f"SELECT {_COLUMNS} FROM fms_operations WHERE ($1::bigint IS NULL OR assignment_id = $1) "
    "AND ($2::text IS NULL OR actor = $2) AND ($3::text IS NULL OR outcome = $3) "
    "AND ($4::timestamptz IS NULL OR started_at >= $4) AND ($5::timestamptz IS NULL OR started_at < $5) "
    "ORDER BY started_at DESC, seq DESC LIMIT $6"
)


def operation_from_row(row: Record) -> FmsOperation:
    """Rebuild an audit log entry from its row."""
    return FmsOperation(
        operation_id=UUID(int=row["operation_id"].int),
        assignment_id=row["assignment_id"],
        call=row["call"],
        purpose=row["purpose"],
        actor=row["actor"],
        started_at=row["started_at"],
        requestor_id=row["requestor_id"],
        payload_summary=row["payload_summary"],
        outcome=OperationOutcome(row["outcome"]),
        finished_at=row["finished_at"],
        status_code=row["status_code"],
        fms_request_id=row["fms_request_id"],
        error=row["error"],
    )


class PostgresFmsOperationLog:
    """Operations on one connection whose transaction the unit of work owns."""

    def __init__(self, conn: PgConnection) -> None:
        self._conn = conn

    @translate_errors("recording an FMS operation")
    async def record_intent(self, operation: FmsOperation) -> None:
        """Write a new pending operation."""
        await self._conn.execute(_INSERT, *intent_values(operation))

    @translate_errors("recording FMS operations")
    async def record_intents(self, operations: Sequence[FmsOperation]) -> None:
        """Write several new pending operations in one round trip."""
        if operations:
            await self._conn.executemany(_INSERT, [intent_values(o) for o in operations])

    @translate_errors("recording FMS outcomes")
    async def record_outcomes(self, operations: Sequence[FmsOperation]) -> None:
        """Complete several operations in one statement (KeyError when one was never recorded)."""
        if not operations:
            return
        done = await self._conn.fetch(OPERATION_OUTCOMES, *outcome_arrays(operations))
        missing = {o.operation_id for o in operations} - {UUID(int=row[0].int) for row in done}
        if missing:
            raise KeyError(sorted(missing)[0])

    @translate_errors("recording an FMS outcome")
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
        """Complete an operation (KeyError when it was never recorded, like the memory log)."""
        status = await self._conn.execute(
            _OUTCOME, operation_id, outcome.value, finished_at, status_code, error, fms_request_id
        )
        if affected_rows(status) == 0:
            raise KeyError(operation_id)

    @translate_errors("reading FMS operations")
    async def for_assignment(self, assignment_id: int) -> list[FmsOperation]:
        """Every operation of one assignment, oldest first."""
        rows = await self._conn.fetch(_FOR_ASSIGNMENT, assignment_id)
        return [operation_from_row(row) for row in rows]

    @translate_errors("reading FMS operations")
    async def for_assignments(self, assignment_ids: Collection[int]) -> dict[int, list[FmsOperation]]:
        """Every operation of each of these assignments, oldest first, in one statement."""
        found: dict[int, list[FmsOperation]] = {}
        for row in await self._conn.fetch(_FOR_ASSIGNMENTS, sorted(set(assignment_ids))):
            found.setdefault(row["assignment_id"], []).append(operation_from_row(row))
        return found

    @translate_errors("querying the FMS audit log")
    async def query(self, query: OperationQuery) -> list[FmsOperation]:
        """Operations matching the filters, newest first."""
        q = query
        outcome = q.outcome.value if q.outcome is not None else None
        rows = await self._conn.fetch(_QUERY, q.assignment_id, q.actor, outcome, q.since, q.until, q.limit)
        return [operation_from_row(row) for row in rows]
