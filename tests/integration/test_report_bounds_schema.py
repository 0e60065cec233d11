"""Every report row type's bounds against its table's columns, read from information_schema on the real
migrated PostgreSQL: a value the parser lets through is a value the column takes (issue 25)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from adapters.postgres.db import PgPool
from adapters.postgres.report_loader import PostgresReportLoader
from application.sync.fields import BadValue
from application.sync.load import load_report
from application.sync.records import LoadPolicy, ReportName
from application.sync.rows import Numeric
from application.sync.specs import SPECS, ReportSpec
from tests.sync_support import BytesSource

pytestmark = pytest.mark.postgres
INTEGER_RANGES = {"smallint": 2**15, "integer": 2**31, "bigint": 2**63}
_COLUMNS = """
SELECT column_name, data_type, is_nullable = 'YES' AS nullable, numeric_precision, numeric_scale,
       character_maximum_length
FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1
"""


def _unwrap(info: msgspec.inspect.Type) -> tuple[msgspec.inspect.Type, bool]:
    """The field's type without None, and whether None is allowed."""
    if isinstance(info, msgspec.inspect.UnionType):
        others = [t for t in info.types if not isinstance(t, msgspec.inspect.NoneType)]
        assert len(others) == 1, info
        return others[0], True
    return info, False


def _numeric_of(field_type: Any) -> Numeric | None:
    for arg in getattr(field_type, "__args__", ()):
        if (found := _numeric_of(arg)) is not None:
            return found
    return next((m for m in getattr(field_type, "__metadata__", ()) if isinstance(m, Numeric)), None)


def _mismatches(spec: ReportSpec, columns: dict[str, Any]) -> list[str]:
    problems = []
    fields = msgspec.structs.fields(spec.row_type)
    if {f.name for f in fields} != set(columns):
        problems.append(f"{spec.table}: fields {sorted(f.name for f in fields)} != columns {sorted(columns)}")
    for index, fl in enumerate(fields):
        column = columns.get(fl.name)
        if column is None:
            continue
        where = f"{spec.table}.{fl.name} ({column['data_type']})"
        info, nullable = _unwrap(msgspec.inspect.type_info(fl.type))
        if nullable and not column["nullable"]:
            problems.append(f"{where}: the row allows empty, the column is NOT NULL")
        kind = column["data_type"]
        if kind in INTEGER_RANGES:
            limit = INTEGER_RANGES[kind]
            bounds = (info.ge, info.le) if isinstance(info, msgspec.inspect.IntType) else (None, None)
            low, high = bounds
            if low is None or high is None or low < -limit or high >= limit:
                problems.append(f"{where}: the row's bounds {info} are not within [-{limit}, {limit})")
        elif kind == "numeric":
            numeric = _numeric_of(fl.type)
            expected = Numeric(column["numeric_precision"], column["numeric_scale"])
            if numeric != expected:
                problems.append(f"{where}: the row declares {numeric}, the column is {expected}")
            else:
                problems.extend(_numeric_cell_mismatches(spec, index, expected, where))
        elif kind == "text":
            literal = isinstance(info, msgspec.inspect.LiteralType) and all(
                isinstance(v, str) for v in info.values
            )
            if not (literal or isinstance(info, msgspec.inspect.StrType)):
                problems.append(f"{where}: the row's type is {info}")
        else:
            expected_type = {"date": msgspec.inspect.DateType, "boolean": msgspec.inspect.BoolType}.get(kind)
            if expected_type is None or not isinstance(info, expected_type):
                problems.append(f"{where}: the row's type is {info}")
    return problems


def _numeric_cell_mismatches(spec: ReportSpec, index: int, numeric: Numeric, where: str) -> list[str]:
    """The column's cell parser takes the column's largest value and refuses the next one up."""
    cell = spec.cells[index]
    largest = Decimal(10) ** (numeric.precision - numeric.scale) - Decimal(10) ** -numeric.scale
    problems = []
    for text, fits in (
        (str(largest), True),
        (str(-largest), True),
        (str(largest + largest.next_plus()), False),
    ):
        try:
            cell(text)
            taken = True
        except BadValue:
            taken = False
        if taken != fits:
            problems.append(f"{where}: the cell parser {'refuses' if fits else 'takes'} {text}")
    return problems


async def test_every_report_row_type_is_within_its_columns_types(pg_pool: PgPool) -> None:
    problems = []
    for spec in SPECS.values():
        found = await pg_pool.fetch(_COLUMNS, spec.table)
        problems.extend(_mismatches(spec, {r["column_name"]: dict(r) for r in found}))
    assert problems == []


async def test_the_largest_values_the_row_types_take_load_into_the_tables(pg_pool: PgPool) -> None:
    budget = SPECS[ReportName.BUDGET_SPENDING]
    record = msgspec.convert(
        ["VW", "X", "2025", "4", budget.cells[4]("999999999999.99")], budget.row_type, strict=False
    )
    await pg_pool.execute(
        "INSERT INTO budget_spending VALUES ($1, $2, $3, $4, $5)", *msgspec.structs.astuple(record)
    )
    assert await pg_pool.fetchval("SELECT amount_used FROM budget_spending") == Decimal("999999999999.99")
    assert date.max.year <= 5874897  # PostgreSQL's date range holds every Python date


async def test_one_amount_too_large_leaves_out_its_row_and_loads_the_29_others(pg_pool: PgPool) -> None:
    good = [f"VW,Office {i},2025,Q{i % 4 + 1},$1{i}.50\n" for i in range(29)]
    data = "".join([*good[:10], "VW,Big,2025,Q1,$1000000000000.00\n", *good[10:]]).encode()
    result = await load_report(
        SPECS[ReportName.BUDGET_SPENDING],
        BytesSource(data),
        loader=PostgresReportLoader(pg_pool),
        policy=LoadPolicy(),
    )
    assert result.success, result.message
    assert result.rows_loaded == 29
    assert [(b.line, b.reason.split(":")[0]) for b in result.bad_rows] == [(11, "amount_used")]
