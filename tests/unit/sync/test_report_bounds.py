"""Every cell within its column's type (issue 25): an out-of-range cell is a bad row with its line and
column, not a report the database refuses whole."""

from __future__ import annotations

from application.sync.records import ReportName
from tests.sync_support import parse


async def test_an_amount_beyond_numeric_14_2_is_a_bad_row_with_its_line_and_column() -> None:
    good = [f"VW,Office {i},2025,Q{i % 4 + 1},$1{i}.50\n" for i in range(29)]
    data = "".join([*good[:10], "VW,Big,2025,Q1,$1000000000000.00\n", *good[10:]]).encode()
    rows, parser = await parse(ReportName.BUDGET_SPENDING, data, 64)
    assert len(rows) == 29
    assert [(b.line, b.reason.split(" ")[0]) for b in parser.stats.bad_rows] == [(11, "amount_used:")]


async def test_amounts_are_rounded_to_cents_as_the_column_would_and_the_largest_fits() -> None:
    amounts = ["$999999999999.99", "1.005", "999999999999.995", "1e400"]
    data = "".join(f"VW,{i},2025,Q1,{amount}\n" for i, amount in enumerate(amounts)).encode()
    rows, parser = await parse(ReportName.BUDGET_SPENDING, data, 64, max_bad_row_ratio=1)
    assert [str(r.amount_used) for r in rows] == ["999999999999.99", "1.01"]
    assert [b.line for b in parser.stats.bad_rows] == [3, 4]
