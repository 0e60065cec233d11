"""Report dates: two-digit years read as FMS writes them, and days FMS cannot carry make a bad row."""

from __future__ import annotations

from datetime import date

import pytest

from application.sync import fields
from application.sync.records import ReportName
from tests.sync_support import parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01/01/69", date(1969, 1, 1)),  # Ruby's %y (POSIX): 69-99 are 19xx
        ("12/31/68", date(2068, 12, 31)),  # 00-68 are 20xx
        ("06/15/99", date(1999, 6, 15)),
        ("01/01/1969", date(1969, 1, 1)),
        ("12/31/2068", date(2068, 12, 31)),
    ],
)
def test_two_digit_years_as_fms_reads_them(text: str, expected: date) -> None:
    assert fields.parse_date(text) == expected


@pytest.mark.parametrize("text", ["12/31/1968", "01/01/2069", "12/31/9999", "01/01/0001", "2126-11-29"])
def test_a_day_fms_cannot_carry_is_a_bad_value(text: str) -> None:
    with pytest.raises(fields.BadValue, match="outside the dates FMS can carry"):
        fields.parse_date(text)


async def test_an_out_of_window_row_is_a_bad_row_with_its_line_and_the_rest_loads() -> None:
    data = (
        b"800001,3001,WAUZZZ8K9DA123456,Media Loan,12/01/26,12/08/26,Rivera,,West\n"
        b"800002,3002,1HGCM82633A004352,Media Loan,11/20/2126,11/27/2126,Chen,,West\n"
        b"800003,4001,KM8KRDAF1PU000001,Media Loan,12/01/2026,12/08/2026,Okafor,,East\n"
    )
    rows, parser = await parse(ReportName.CURRENT_ACTIVITY, data, max_bad_row_ratio=0.5)
    assert [r.activity_id for r in rows] == [800001, 800003]
    (bad,) = parser.stats.bad_rows
    assert bad.line == 2
    assert "outside the dates FMS can carry" in bad.reason
