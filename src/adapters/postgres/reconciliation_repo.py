"""PostgresReconciliationRepo: the reads and writes of the sync's reconciliation, in one unit of work."""

from __future__ import annotations

from collections.abc import Collection

from adapters.postgres.assignment_rows import SELECT_ASSIGNMENTS, assignment_from_row
from adapters.postgres.db import PgConnection
from adapters.postgres.errors import translate_errors
from application.records import AssignmentEvent
from domain.assignment import Assignment
from domain.reference import Activity

# Locked in id order, as every other use-case locks several assignments (no deadlock between them).
_AWAITING = (
    f"{SELECT_ASSIGNMENTS} WHERE NOT removed AND (status = 'requested' "
    "OR (status IN ('planned', 'manual') AND pending_kind = 'create')) ORDER BY id FOR UPDATE"
)
_ACTIVE = f"{SELECT_ASSIGNMENTS} WHERE NOT removed AND status = 'active' ORDER BY id FOR UPDATE"
_CURRENT_OF = (
    "SELECT activity_id, vin, start_date, end_date, person_id, activity_type, activity_to "
    "FROM current_activity WHERE vin = ANY($1::text[])"
)
_EVENT_COLUMNS = "assignment_id, at, kind, from_status, to_status, reason, activity_id, sync_run_id"


class PostgresReconciliationRepo:
    """Reconciliation queries on one connection whose transaction the unit of work owns."""

    def __init__(self, conn: PgConnection) -> None:
        self._conn = conn

    @translate_errors("loading assignments awaiting approval")
    async def awaiting_activity(self) -> list[Assignment]:
        """Live assignments FMS may have approved (requested, or a create pending), locked, by id."""
        return [assignment_from_row(row) for row in await self._conn.fetch(_AWAITING)]

    @translate_errors("loading active assignments")
    async def active(self) -> list[Assignment]:
        """Live active assignments, locked, by id."""
        return [assignment_from_row(row) for row in await self._conn.fetch(_ACTIVE)]

    @translate_errors("reading current activities")
    async def current_activities_of(self, vins: Collection[str]) -> list[Activity]:
        """Current activities of these vehicles."""
        rows = await self._conn.fetch(_CURRENT_OF, sorted(set(vins)))
        return [
            Activity(
                activity_id=row["activity_id"],
                vin=row["vin"],
                start_day=row["start_date"],
                end_day=row["end_date"],
                person_id=row["person_id"],
                activity_type=row["activity_type"],
                partner_name=row["activity_to"],
            )
            for row in rows
        ]

    async def _subset(self, sql: str, ids: Collection[int]) -> set[int]:
        rows = await self._conn.fetch(sql, sorted(set(ids)))
        return {row[0] for row in rows}

    @translate_errors("reading claimed activities")
    async def claimed_activity_ids(self, activity_ids: Collection[int]) -> set[int]:
        """Those of the ids some assignment already holds."""
        sql = "SELECT DISTINCT activity_id FROM assignments WHERE activity_id = ANY($1::bigint[])"
        return await self._subset(sql, activity_ids)

    @translate_errors("reading the loan history")
    async def in_loan_history(self, activity_ids: Collection[int]) -> set[int]:
        """Those of the ids in the loan history."""
        sql = "SELECT activity_id FROM loan_history WHERE activity_id = ANY($1::bigint[])"
        return await self._subset(sql, activity_ids)

    @translate_errors("reading current activities")
    async def in_current_activity(self, activity_ids: Collection[int]) -> set[int]:
        """Those of the ids in the current-activity report."""
        sql = "SELECT activity_id FROM current_activity WHERE activity_id = ANY($1::bigint[])"
        return await self._subset(sql, activity_ids)

    @translate_errors("recording an assignment event")
    async def record_event(self, event: AssignmentEvent) -> None:
        """Insert one event."""
        e = event
        await self._conn.execute(
            f"INSERT INTO assignment_events ({_EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            e.assignment_id, e.at, e.kind, e.from_status, e.to_status, e.reason, e.activity_id, e.run_id,
        )  # fmt: skip

    @translate_errors("reading assignment events")
    async def events(self, assignment_id: int) -> list[AssignmentEvent]:
        """One assignment's events, oldest first."""
        rows = await self._conn.fetch(
            f"SELECT {_EVENT_COLUMNS} FROM assignment_events WHERE assignment_id = $1 ORDER BY id",
            assignment_id,
        )
        return [
            AssignmentEvent(
                assignment_id=row["assignment_id"],
                at=row["at"],
                kind=row["kind"],
                from_status=row["from_status"],
                to_status=row["to_status"],
                reason=row["reason"],
                activity_id=row["activity_id"],
                run_id=row["sync_run_id"],
            )
            for row in rows
        ]
