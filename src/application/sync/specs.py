"""What the sync knows about each report: its columns, how each cell is read, its row type and key."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

from application.sync import fields as f
from application.sync.records import ReportName
from application.sync.rows import (
    AMOUNT,
    ApprovedMakeRow,
    BudgetRow,
    CurrentActivityRow,
    LoanHistoryRow,
    PartnerRow,
    VehicleRow,
)

Cell = Callable[[str], object]
Normalise = Callable[[Sequence[str], int], list[object]]
TEXT: Cell = f.text_or_none
BOOLEANS = f.Cached(f.boolean)
RANKS = f.Cached(f.rank)
FLEETS = f.Cached(f.fleet)
QUARTERS = f.Cached(f.quarter)
AMOUNTS = f.amount(AMOUNT.precision, AMOUNT.scale)


def compile_cells(cells: Sequence[Cell]) -> Normalise:
    """One function reading a whole row: (cells, line) -> [value, ..., line].

    Built once per report from its cells, because a loop over the cells costs a third more than this
    straight-line expression on a million-row report: plain text is stripped inline, cached parsers
    are dict lookups, the rest are calls.
    """
    parts: list[str] = []
    env: dict[str, Any] = {}
    for i, cell in enumerate(cells):
        if cell is TEXT:
            parts.append(f"r[{i}].strip() or None")
        elif isinstance(cell, f.Cached):
            env[f"d{i}"] = cell
            parts.append(f"d{i}[r[{i}]]")
        else:
            env[f"c{i}"] = cell
            parts.append(f"c{i}(r[{i}])")
    normalise: Normalise = eval(f"lambda r, line: [{', '.join(parts)}, line]", env)
    return normalise


@dataclass(frozen=True)
class ReportSpec:
    """One report: file column titles and cell parsers (in file order), row type, table and key."""

    name: ReportName
    titles: tuple[str, ...]
    cells: tuple[Cell, ...]
    row_type: type[msgspec.Struct]
    key: tuple[str, ...]
    date_range: tuple[int, int] | None = None  # indexes of start and end dates that must be in order
    normalise: Normalise = field(init=False, repr=False, compare=False)
    record_type: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        assert len(self.titles) == len(self.cells) == len(self.columns), self.name
        object.__setattr__(self, "normalise", compile_cells(self.cells))
        types = tuple(fl.type for fl in msgspec.structs.fields(self.row_type))
        record = tuple.__class_getitem__((*types, int))
        object.__setattr__(self, "record_type", list.__class_getitem__(record))

    @property
    def table(self) -> str:
        """The table the report replaces."""
        return self.name.value

    @property
    def columns(self) -> tuple[str, ...]:
        """Table columns, in file order (the row type's fields)."""
        return self.row_type.__struct_fields__

    def row(self, record: Sequence[Any]) -> msgspec.Struct:
        """The typed row of a converted record (values then line number)."""
        return self.row_type(*record[: len(self.columns)])


DATE, MONTH, VIN, NUMBER = f.DATES, f.MONTHS, f.vin, f.number
SPECS: dict[ReportName, ReportSpec] = {
    spec.name: spec
    for spec in (
        ReportSpec(
            ReportName.VEHICLES,
            (
                "vehicle_id",
                "Year",
                "Make",
                "Model",
                "Model Short Name",
                "Office",
                "VIN",
                "Fleet",
                "Registration Exp",
                "Insurance Exp",
                "Current Mileage",
                "In Service Date",
                "Expected Turn In Date",
                "Notes",
                "Color",
            ),
            (NUMBER, NUMBER, TEXT, TEXT, TEXT, TEXT, VIN, TEXT, DATE, DATE, NUMBER, MONTH, DATE, TEXT, TEXT),
            VehicleRow,
            ("vin",),
        ),
        ReportSpec(
            ReportName.MEDIA_PARTNERS,
            (
                "Person_ID",
                "Name",
                "Address",
                "Office",
                "Default loan region",
                "Notes / Instructions",
                "Affiliation",
                "Activity_Type_Subcategory_ID",
            ),
            (NUMBER, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, NUMBER),
            PartnerRow,
            ("person_id", "office"),
        ),
        ReportSpec(
            ReportName.APPROVED_MAKES,
            ("Person_ID", "Name", "Make", "Rank"),
            (NUMBER, TEXT, TEXT, RANKS),
            ApprovedMakeRow,
            ("person_id", "make"),
        ),
        ReportSpec(
            ReportName.LOAN_HISTORY,
            (
                "Activity_ID",
                "VIN",
                "Person_ID",
                "Make",
                "Model",
                "Year",
                "Model_Short_Name",
                "Start_Date",
                "End_Date",
                "Clips_Received",
                "Office",
                "Name",
                "Partner_Address",
                "Region",
            ),
            (TEXT, VIN, TEXT, TEXT, TEXT, NUMBER, TEXT, DATE, DATE, BOOLEANS, TEXT, TEXT, TEXT, TEXT),
            LoanHistoryRow,
            ("activity_id",),
            date_range=(7, 8),
        ),
        ReportSpec(
            ReportName.CURRENT_ACTIVITY,
            (
                "Activity_ID",
                "Person_ID",
                "Vehicle_VIN",
                "Activity_Type",
                "Start_Date",
                "End_Date",
                "To",
                "Partner_Address",
                "Region",
            ),
            (TEXT, TEXT, VIN, TEXT, DATE, DATE, TEXT, TEXT, TEXT),
            CurrentActivityRow,
            ("activity_id",),
            date_range=(4, 5),
        ),
        ReportSpec(
            ReportName.BUDGET_SPENDING,
            ("fleet", "office", "year", "quarter", "amount_used"),
            (FLEETS, TEXT, NUMBER, QUARTERS, AMOUNTS),
            BudgetRow,
            ("office", "fleet", "year", "quarter"),
        ),
    )
}
