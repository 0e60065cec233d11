"""MemoryReportLoader: reports staged in a list and swapped into the in-memory tables under the store lock."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from adapters.memory.store import MemoryStore, MemoryTables
from application.records import ApprovedMake, Office
from application.sync.records import BadRow, ReportName
from application.sync.rows import (
    ApprovedMakeRow,
    BudgetRow,
    CurrentActivityRow,
    LoanHistoryRow,
    PartnerRow,
    VehicleRow,
)
from application.sync.specs import ReportSpec
from domain.reference import Activity, Partner, Vehicle


def _vehicles(tables: MemoryTables, rows: list[Any]) -> None:
    tables.vehicles = {
        r.vin: Vehicle(
            r.vin, r.office, r.fms_vehicle_id, r.make, r.model, r.year, r.color,
            r.in_service_date, r.expected_turn_in_date,
        )
        for r in rows
        if isinstance(r, VehicleRow)
    }  # fmt: skip


def _partners(tables: MemoryTables, rows: list[Any]) -> None:
    tables.partners = {
        (r.person_id, r.office): Partner(
            r.person_id, r.office, r.name, r.address, r.default_loan_region, r.affiliation,
            r.activity_type_subcategory_id,
        )
        for r in rows
        if isinstance(r, PartnerRow)
    }  # fmt: skip


def _makes(tables: MemoryTables, rows: list[Any]) -> None:
    tables.approved_makes = [
        ApprovedMake(r.person_id, r.name, r.make, r.rank) for r in rows if isinstance(r, ApprovedMakeRow)
    ]


def _history(tables: MemoryTables, rows: list[Any]) -> None:
    tables.loan_history = [
        Activity(
            r.activity_id, r.vin, r.start_date, r.end_date, r.person_id,
            partner_name=r.name, office=r.office, make=r.make, model=r.model,
        )
        for r in rows
        if isinstance(r, LoanHistoryRow)
    ]  # fmt: skip


def _current(tables: MemoryTables, rows: list[Any]) -> None:
    tables.current_activities = [
        Activity(
            r.activity_id, r.vin, r.start_date, r.end_date, r.person_id,
            activity_type=r.activity_type, partner_name=r.activity_to,
        )
        for r in rows
        if isinstance(r, CurrentActivityRow)
    ]  # fmt: skip


def _budget(tables: MemoryTables, rows: list[Any]) -> None:
    tables.budget_spending = [r for r in rows if isinstance(r, BudgetRow)]


_REPLACE: dict[ReportName, Callable[[MemoryTables, list[Any]], None]] = {
    ReportName.VEHICLES: _vehicles,
    ReportName.MEDIA_PARTNERS: _partners,
    ReportName.APPROVED_MAKES: _makes,
    ReportName.LOAN_HISTORY: _history,
    ReportName.CURRENT_ACTIVITY: _current,
    ReportName.BUDGET_SPENDING: _budget,
}


def derive_offices(tables: MemoryTables) -> None:
    """Offices of the vehicles and partners are active; others known before are kept, inactive."""
    names = {v.office for v in tables.vehicles.values()} | {p.office for p in tables.partners.values()}
    known = {o.name for o in tables.offices}
    tables.offices = sorted(
        [Office(name, name in names) for name in known | names], key=lambda office: office.name
    )


def count_rows(tables: MemoryTables, report: ReportName) -> int:
    """Rows of the report's table."""
    held: dict[ReportName, Sequence[object] | dict[Any, Any]] = {
        ReportName.VEHICLES: tables.vehicles,
        ReportName.MEDIA_PARTNERS: tables.partners,
        ReportName.APPROVED_MAKES: tables.approved_makes,
        ReportName.LOAN_HISTORY: tables.loan_history,
        ReportName.CURRENT_ACTIVITY: tables.current_activities,
        ReportName.BUDGET_SPENDING: tables.budget_spending,
    }
    return len(held[report])


class MemoryReportStaging:
    """One report's records, held until published."""

    def __init__(self, store: MemoryStore, spec: ReportSpec) -> None:
        self._store = store
        self._spec = spec
        self._records: list[tuple[Any, ...]] = []

    async def write(self, batches: AsyncIterable[Sequence[tuple[Any, ...]]]) -> int:
        """Keep the records."""
        async for batch in batches:
            self._records.extend(batch)
        return len(self._records)

    async def drop_duplicates(self, keep: int) -> tuple[int, list[BadRow]]:
        """Keep the first row of each key; report the later ones."""
        positions = [self._spec.columns.index(column) for column in self._spec.key]
        first: dict[tuple[Any, ...], int] = {}
        kept: list[tuple[Any, ...]] = []
        lines: list[BadRow] = []
        dropped = 0
        for record in self._records:
            key = tuple(record[i] for i in positions)
            if key in first:
                dropped += 1
                if len(lines) < keep:
                    lines.append(BadRow(record[-1], duplicate_reason(self._spec, key, first[key])))
                continue
            first[key] = record[-1]
            kept.append(record)
        self._records = kept
        return dropped, lines

    async def current_rows(self) -> int:
        """Rows of the table now."""
        return count_rows(self._store.tables, self._spec.name)

    async def publish(self) -> int:
        """Swap the rows in (and re-derive offices after vehicles or partners) under the store's lock."""
        rows = [self._spec.row(record) for record in self._records]
        async with self._store.lock:
            _REPLACE[self._spec.name](self._store.tables, rows)
            if self._spec.name in (ReportName.VEHICLES, ReportName.MEDIA_PARTNERS):
                derive_offices(self._store.tables)
        return len(rows)


def duplicate_reason(spec: ReportSpec, key: tuple[Any, ...], first_line: int) -> str:
    """Why a row with an already seen key is left out."""
    shown = ", ".join(f"{column} {value}" for column, value in zip(spec.key, key, strict=True))
    return f"duplicate key ({shown}): the row on line {first_line} is kept"


class MemoryReportLoader:
    """Loads reports into a memory store (the one the memory units of work use)."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    @asynccontextmanager
    async def staging(self, spec: ReportSpec) -> AsyncIterator[MemoryReportStaging]:
        """A staging area; dropped when the block ends."""
        yield MemoryReportStaging(self._store, spec)

    async def row_count(self, report: ReportName) -> int:
        """Rows of the report's table."""
        return count_rows(self._store.tables, report)
