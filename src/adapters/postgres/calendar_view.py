"""PostgresCalendarView: the calendar's activity window in one statement, bars built straight from rows.

It answers as application/calendar.py's merge does (tests/integration/test_calendar_view_postgres.py
compares the two): assignments meeting the window or holding an activity that does; the activities
no listed assignment holds; an assignment holding an activity shows the activity's days (a completed
one its loan-history row first, else the current one, wherever FMS moved it).
"""

from __future__ import annotations

import functools

from adapters.postgres.db import PgPool
from adapters.postgres.errors import translate_errors
from adapters.postgres.pool import ran_transactions_only
from application.calendar_bar import CalendarBar
from application.records import Window

_CURRENT = (
    "SELECT c.activity_id, c.vin, c.start_date, c.end_date, c.person_id, c.activity_type, c.activity_to "
    "FROM current_activity c LEFT JOIN vehicles v ON v.vin = c.vin WHERE "
)
_BARS_SQL = """
WITH cur AS ({current}c.start_date <= $2 AND c.end_date >= $1{cur_filter}),
hist AS (
    SELECT activity_id, vin, start_date, end_date, person_id, name, office, make, model FROM loan_history
    WHERE start_date <= $2 AND end_date >= $1{hist_filter}
), seen AS (SELECT activity_id FROM cur UNION ALL SELECT activity_id FROM hist),
asg AS (
    SELECT * FROM assignments WHERE NOT removed
    AND (start_day <= $2 AND end_day >= $1 OR activity_id IN (SELECT activity_id FROM seen)){asg_filter}
), claimed AS (SELECT activity_id FROM asg WHERE activity_id IS NOT NULL),
moved AS (
    {current}c.vin IN (
        SELECT vin FROM asg
        WHERE activity_id IS NOT NULL AND activity_id NOT IN (SELECT activity_id FROM seen)
    )
    AND c.activity_id NOT IN (SELECT activity_id FROM cur)
), cur_all AS (SELECT *, 1 AS pass FROM cur UNION ALL SELECT *, 2 FROM moved),
items AS (
    SELECT 'completed' AS status, NULL::bigint AS assignment_id, h.activity_id, h.vin,
        v.fms_vehicle_id AS vehicle_id, coalesce(nullif(h.make, ''), v.make) AS make,
        coalesce(nullif(h.model, ''), v.model) AS model, h.start_date, h.end_date, h.person_id,
        h.name AS partner_name, coalesce(nullif(h.office, ''), v.office) AS office,
        NULL::text AS activity_type,
        'none' AS fms_state, NULL::bigint AS fms_request_id, NULL::text AS last_error,
        h.start_date AS fms_start_date, h.end_date AS fms_end_date, NULL::date AS assignment_start_date,
        NULL::date AS assignment_end_date, false AS dates_differ, 0 AS kind, 0 AS pass
    FROM hist h LEFT JOIN vehicles v ON v.vin = h.vin
    WHERE h.activity_id NOT IN (SELECT activity_id FROM claimed)
    UNION ALL
    SELECT 'active', NULL, c.activity_id, c.vin, v.fms_vehicle_id, v.make, v.model, c.start_date,
        c.end_date, c.person_id, c.activity_to, v.office, c.activity_type, 'none', NULL, NULL,
        c.start_date, c.end_date, NULL, NULL, false, 1, c.pass
    FROM cur_all c LEFT JOIN vehicles v ON v.vin = c.vin
    WHERE c.activity_id NOT IN (SELECT activity_id FROM claimed) AND c.start_date <= $2 AND c.end_date >= $1
    UNION ALL
    SELECT a.status, a.id, a.activity_id, a.vin, v.fms_vehicle_id, coalesce(nullif(a.make, ''), v.make),
        coalesce(nullif(a.model, ''), v.model), coalesce(held.s, a.start_day), coalesce(held.e, a.end_day),
        a.person_id, a.partner_name, a.office, 'Media Loan', a.fms_state, a.fms_request_id, a.last_error,
        held.s, held.e, a.start_day, a.end_day,
        coalesce(held.s, a.start_day) <> a.start_day OR coalesce(held.e, a.end_day) <> a.end_day, 2, 0
    FROM asg a LEFT JOIN vehicles v ON v.vin = a.vin
    LEFT JOIN hist h ON h.activity_id = a.activity_id
    LEFT JOIN cur_all c ON c.activity_id = a.activity_id
    CROSS JOIN LATERAL (
        SELECT CASE WHEN pick_h THEN h.start_date ELSE c.start_date END AS s,
               CASE WHEN pick_h THEN h.end_date ELSE c.end_date END AS e
        FROM (SELECT CASE WHEN a.status = 'completed' THEN h.activity_id IS NOT NULL
                          ELSE c.activity_id IS NULL END AS pick_h) AS p
    ) AS held
)
SELECT status, assignment_id, activity_id, vin, vehicle_id, make, model, start_date, end_date, person_id,
    partner_name, office, activity_type, fms_state, fms_request_id, last_error, fms_start_date,
    fms_end_date, assignment_start_date, assignment_end_date, dates_differ
FROM items
ORDER BY start_date, vin COLLATE "C", coalesce(assignment_id, 0), coalesce(activity_id, 0), kind, pass,
    start_date, activity_id
"""


def _where(office: str, prefix: str, filters: tuple[str, ...]) -> str:
    columns = {"office": office, "vin": f"{prefix}vin", "person_id": f"{prefix}person_id"}
    return "".join(f" AND {columns[name]} = ${n}" for n, name in enumerate(filters, start=3))


@functools.cache
def bars_sql(filters: tuple[str, ...]) -> str:
    """The statement for a window with these filters (of "office", "vin", "person_id", in that order),
    their values as $3, $4 ... Only the filters given are in the text: with `$3 IS NULL OR ...` for an
    absent one, PostgreSQL's one generic plan for every call misjudges the rows and nests loops (16 ms
    instead of 4 at a busy office), and planning each call instead costs more than the query at demo size.
    """
    return _BARS_SQL.format(
        current=_CURRENT,
        cur_filter=_where("v.office", "c.", filters),
        hist_filter=_where("office", "", filters),
        asg_filter=_where("office", "", filters),
    )


def window_filters(window: Window) -> tuple[tuple[str, ...], tuple[object, ...]]:
    """The window's filters (names in bars_sql's order) and their values."""
    given = (("office", window.office), ("vin", window.vin), ("person_id", window.person_id))
    present = [(name, value) for name, value in given if value is not None]
    return tuple(name for name, _ in present), tuple(value for _, value in present)


BARS_SQL = bars_sql(("office",))  # the calendar's own read: one office


class PostgresCalendarView:
    """The read model on the pool: one statement (a single snapshot), no transaction around it."""

    def __init__(self, pool: PgPool) -> None:
        self._pool = pool

    @translate_errors("reading the calendar")
    async def bars(self, window: Window) -> list[CalendarBar]:
        """Loan history, current activities and assignments meeting the window, sorted as shown."""
        async with self._pool.acquire() as conn:
            filters, values = window_filters(window)
            rows = await conn.fetch(bars_sql(filters), window.start, window.end, *values)
            ran_transactions_only(conn)  # one statement, its own transaction: no session state left
        return [CalendarBar(*row) for row in rows]
