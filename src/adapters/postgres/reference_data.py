"""PostgresReferenceData: offices and the FMS report tables, read and replaced inside one unit of work."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TypeVar

from adapters.postgres.batch_sql import ACTIVITIES_OF_VEHICLES, PARTNERS_OF
from adapters.postgres.db import PgConnection
from adapters.postgres.errors import translate_errors
from adapters.postgres.reference_rows import (
    APPROVED_MAKE_COLUMNS,
    CURRENT_ACTIVITY_COLUMNS,
    LOAN_HISTORY_COLUMNS,
    OFFICE_COLUMNS,
    PARTNER_COLUMNS,
    VEHICLE_COLUMNS,
    approved_make_values,
    current_activity_from_row,
    current_activity_values,
    loan_from_row,
    loan_history_values,
    office_values,
    partner_from_row,
    partner_values,
    vehicle_from_row,
    vehicle_values,
)
from application.records import ApprovedMake, Office, Window
from domain.reference import Activity, Partner, Vehicle

T = TypeVar("T")

_WINDOW_FILTER = (
    "{alias}start_date <= $2 AND {alias}end_date >= $1 AND ($3::text IS NULL OR {office} = $3) "
    "AND ($4::text IS NULL OR {alias}vin = $4) AND ($5::bigint IS NULL OR {alias}person_id = $5)"
)
_CURRENT = (
    "SELECT c.*, v.office AS vehicle_office FROM current_activity c LEFT JOIN vehicles v ON v.vin = c.vin "
    "WHERE " + _WINDOW_FILTER.format(alias="c.", office="v.office") + " ORDER BY c.start_date, c.activity_id"
)
_LOANS = (
    "SELECT * FROM loan_history WHERE "
    + _WINDOW_FILTER.format(alias="", office="office")
    + " ORDER BY start_date, activity_id"
)
_APPROVED_MAKES = (
    "SELECT person_id, name, make, rank FROM approved_makes "
    "WHERE person_id IN (SELECT person_id FROM media_partners WHERE office = $1) ORDER BY person_id, make"
)


class PostgresReferenceData:
    """Reference tables on one connection whose transaction the unit of work owns."""

    def __init__(self, conn: PgConnection) -> None:
        self._conn = conn

    @translate_errors("reading offices")
    async def offices(self) -> list[Office]:
        """Active offices, by name."""
        rows = await self._conn.fetch("SELECT name, active FROM offices WHERE active ORDER BY name")
        return [Office(name=row["name"], active=row["active"]) for row in rows]

    @translate_errors("reading a vehicle")
    async def vehicle(self, vin: str) -> Vehicle | None:
        """The vehicle with this VIN."""
        row = await self._conn.fetchrow("SELECT * FROM vehicles WHERE vin = $1", vin)
        return vehicle_from_row(row) if row is not None else None

    @translate_errors("reading vehicles")
    async def vehicles(
        self, *, office: str | None = None, vins: Iterable[str] | None = None
    ) -> list[Vehicle]:
        """Vehicles of an office and/or with these VINs, by VIN."""
        wanted = sorted(set(vins)) if vins is not None else None
        rows = await self._conn.fetch(
            "SELECT * FROM vehicles WHERE ($1::text IS NULL OR office = $1) "
            "AND ($2::text[] IS NULL OR vin = ANY($2::text[])) ORDER BY vin",
            office,
            wanted,
        )
        return [vehicle_from_row(row) for row in rows]

    @translate_errors("reading a partner")
    async def partner(self, person_id: int, office: str) -> Partner | None:
        """The partner record of a person in an office."""
        row = await self._conn.fetchrow(
            "SELECT * FROM media_partners WHERE person_id = $1 AND office = $2", person_id, office
        )
        return partner_from_row(row) if row is not None else None

    @translate_errors("reading partners")
    async def partners(self, *, office: str | None = None) -> list[Partner]:
        """Partners of an office (all when None), by name."""
        rows = await self._conn.fetch(
            "SELECT * FROM media_partners WHERE ($1::text IS NULL OR office = $1) "
            "ORDER BY name, person_id, office",
            office,
        )
        return [partner_from_row(row) for row in rows]

    @translate_errors("reading partners")
    async def partners_of(self, keys: Iterable[tuple[int, str]]) -> list[Partner]:
        """The partner records of these (person_id, office) pairs that exist, by name."""
        pairs = sorted(set(keys))
        rows = await self._conn.fetch(PARTNERS_OF, [p for p, _ in pairs], [o for _, o in pairs])
        return [partner_from_row(row) for row in rows]

    @translate_errors("reading approved makes")
    async def approved_makes(self, *, office: str) -> list[ApprovedMake]:
        """Approved makes of the office's partners, by person and make."""
        rows = await self._conn.fetch(_APPROVED_MAKES, office)
        return [ApprovedMake(row["person_id"], row["name"], row["make"], row["rank"]) for row in rows]

    @translate_errors("reading current activities")
    async def current_activities(self, window: Window) -> list[Activity]:
        """Current activities meeting the window; their office is their vehicle's."""
        rows = await self._conn.fetch(_CURRENT, *_window_args(window))
        return [current_activity_from_row(row) for row in rows]

    @translate_errors("reading current activities")
    async def activities_of_vehicles(self, vins: Iterable[str], start: date, end: date) -> list[Activity]:
        """Current activities of these vehicles meeting [start, end]; their office is their vehicle's."""
        rows = await self._conn.fetch(ACTIVITIES_OF_VEHICLES, sorted(set(vins)), start, end)
        return [current_activity_from_row(row) for row in rows]

    @translate_errors("reading the loan history")
    async def loan_history(self, window: Window) -> list[Activity]:
        """Past loans meeting the window."""
        rows = await self._conn.fetch(_LOANS, *_window_args(window))
        return [loan_from_row(row) for row in rows]

    @translate_errors("replacing offices")
    async def replace_offices(self, offices: Sequence[Office]) -> None:
        """Replace all offices."""
        await self._replace("offices", OFFICE_COLUMNS, offices, office_values)

    @translate_errors("replacing vehicles")
    async def replace_vehicles(self, vehicles: Sequence[Vehicle]) -> None:
        """Replace all vehicles."""
        await self._replace("vehicles", VEHICLE_COLUMNS, vehicles, vehicle_values)

    @translate_errors("replacing partners")
    async def replace_partners(self, partners: Sequence[Partner]) -> None:
        """Replace all partners."""
        await self._replace("media_partners", PARTNER_COLUMNS, partners, partner_values)

    @translate_errors("replacing approved makes")
    async def replace_approved_makes(self, makes: Sequence[ApprovedMake]) -> None:
        """Replace all approved makes."""
        await self._replace("approved_makes", APPROVED_MAKE_COLUMNS, makes, approved_make_values)

    @translate_errors("replacing current activities")
    async def replace_current_activities(self, activities: Sequence[Activity]) -> None:
        """Replace the current-activity report."""
        await self._replace("current_activity", CURRENT_ACTIVITY_COLUMNS, activities, current_activity_values)

    @translate_errors("replacing the loan history")
    async def replace_loan_history(self, activities: Sequence[Activity]) -> None:
        """Replace the loan history."""
        await self._replace("loan_history", LOAN_HISTORY_COLUMNS, activities, loan_history_values)

    async def _replace(
        self,
        table: str,
        columns: Sequence[str],
        items: Sequence[T],
        values: Callable[[T], tuple[object, ...]],
    ) -> None:
        # DELETE, not TRUNCATE: readers keep seeing the old rows until this transaction commits.
        await self._conn.execute(f"DELETE FROM {table}")
        if items:
            await self._conn.copy_records_to_table(
                table, records=[values(item) for item in items], columns=list(columns)
            )


def _window_args(window: Window) -> tuple[object, ...]:
    return (window.start, window.end, window.office, window.vin, window.person_id)
