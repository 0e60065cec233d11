"""The hand-written floor of GET /api/calendar/activity: one asyncpg query, msgspec encoding, bare Litestar.

It answers the office window (office, start_date, end_date) with the same items and counts as the service
for data without held activities FMS moved (the demo data and its 10x copies): the benchmark checks the
two answers are byte-for-byte equal before timing them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

import asyncpg
import msgspec
from litestar import Litestar, Response, get

from entrypoints.http.calendar_schemas import ActivityOut, ActivityResponse, Counts

FLOOR_SQL = """
WITH cur AS (
    SELECT c.activity_id, c.vin, c.start_date, c.end_date, c.person_id, c.activity_type,
           c.activity_to AS partner_name, v.office
    FROM current_activity c LEFT JOIN vehicles v ON v.vin = c.vin
    WHERE c.start_date <= $2 AND c.end_date >= $1 AND v.office = $3
), hist AS (
    SELECT activity_id, vin, start_date, end_date, person_id, name AS partner_name, office, make, model
    FROM loan_history WHERE start_date <= $2 AND end_date >= $1 AND office = $3
), asg AS (
    SELECT * FROM assignments a WHERE NOT removed AND office = $3
    AND (start_day <= $2 AND end_day >= $1
         OR activity_id IN (SELECT activity_id FROM cur UNION ALL SELECT activity_id FROM hist))
), items AS (
    SELECT 'completed' AS status, NULL::bigint AS assignment_id, h.activity_id, h.vin,
           v.fms_vehicle_id AS vehicle_id, coalesce(h.make, v.make) AS make,
           coalesce(h.model, v.model) AS model, h.start_date, h.end_date, h.person_id, h.partner_name,
           coalesce(h.office, v.office) AS office, NULL::text AS activity_type, 'none' AS fms_state,
           NULL::bigint AS fms_request_id, NULL::text AS last_error, h.start_date AS fms_start_date,
           h.end_date AS fms_end_date, NULL::date AS assignment_start_date, NULL::date AS assignment_end_date,
           false AS dates_differ
    FROM hist h LEFT JOIN vehicles v ON v.vin = h.vin
    WHERE h.activity_id NOT IN (SELECT activity_id FROM asg WHERE activity_id IS NOT NULL)
    UNION ALL
    SELECT 'active', NULL, c.activity_id, c.vin, v.fms_vehicle_id, v.make, v.model, c.start_date,
           c.end_date, c.person_id, c.partner_name, coalesce(c.office, v.office), c.activity_type, 'none',
           NULL, NULL, c.start_date, c.end_date, NULL, NULL, false
    FROM cur c LEFT JOIN vehicles v ON v.vin = c.vin
    WHERE c.activity_id NOT IN (SELECT activity_id FROM asg WHERE activity_id IS NOT NULL)
    UNION ALL
    SELECT a.status, a.id, a.activity_id, a.vin, v.fms_vehicle_id, coalesce(a.make, v.make),
           coalesce(a.model, v.model), a.start_day, a.end_day, a.person_id, a.partner_name, a.office,
           'Media Loan', a.fms_state, a.fms_request_id, a.last_error, NULL, NULL, a.start_day, a.end_day,
           false
    FROM asg a LEFT JOIN vehicles v ON v.vin = a.vin
)
SELECT * FROM items
ORDER BY start_date, vin COLLATE "C", coalesce(assignment_id, 0), coalesce(activity_id, 0)
"""

_PLANNED = frozenset({"planned", "manual", "requested"})


def floor_app(dsn: str) -> Litestar:
    """A Litestar app with the one hand-written route on a pool of its own."""
    pool: list[asyncpg.Pool] = []

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        pool.append(await asyncpg.create_pool(dsn, min_size=4, max_size=10))
        try:
            yield
        finally:
            await pool[0].close()

    @get("/api/calendar/activity", sync_to_thread=False)
    async def activity(office: str, start_date: date, end_date: date) -> Response[bytes]:
        """The office's items in the window, from one query."""
        rows = await pool[0].fetch(FLOOR_SQL, start_date, end_date, office)
        items = [ActivityOut(*row) for row in rows]
        statuses = [i.status for i in items]
        counts = Counts(
            past=statuses.count("completed"),
            active=statuses.count("active"),
            planned=sum(s in _PLANNED for s in statuses),
            total=len(items),
        )
        body = ActivityResponse(office, start_date, end_date, items, counts)
        return Response(msgspec.json.encode(body), media_type="application/json")

    @get("/healthz", sync_to_thread=False)
    async def healthz() -> dict[str, str]:
        """Up."""
        return {"status": "ok"}

    return Litestar([activity, healthz], lifespan=[lifespan], debug=False)
