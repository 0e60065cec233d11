"""Property: the report reader reads what Python's csv module reads (issue 25).

Files of media_partners rows with quoted and bare cells, inch marks, embedded line breaks (\\n, \\r\\n,
\\r), commas, UTF-8 or Windows-1252 text and the odd row in the other encoding, a few rows with a wrong
column count or an id that is not a number; fed in chunks of any size. Every row the csv module reads
from the file's true text is loaded with those values, or reported bad with its line: wrong columns,
a bad id, or bytes that do not fit the encoding decided for the file (csv_text.py: the lines holding
non-ASCII bytes vote).
"""

from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import dataclass

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.sync.parser import ReportRejected
from application.sync.records import ReportName
from tests.sync_support import parse

LATIN = "éüñßøÅÖ"  # Windows-1252 bytes 0xC0-0xFF: never valid UTF-8 however they follow each other
UTF8_ONLY = "Łż中"
PLAIN = "ab Z19'-"
BREAKS = ["\n", "\r\n", "\r"]
SPECIAL = ['19" wheels', "6'2\"", 'say "hi"', "x,y", '"', '""', "a\nb", "c\r\nd", "e\rf", " ", ""]


@dataclass(frozen=True)
class Row:
    """One generated row: its cells, how each is written, its line end, whether it is in the other
    encoding than the file's."""

    cells: tuple[str, ...]
    quoted: tuple[bool, ...]
    end: str
    stray: bool


def _needs_quotes(cell: str) -> bool:
    return any(c in cell for c in ",\r\n") or cell.startswith('"')


def _render(row: Row) -> str:
    out = []
    for cell, quote in zip(row.cells, row.quoted, strict=True):
        out.append('"' + cell.replace('"', '""') + '"' if quote or _needs_quotes(cell) else cell)
    return ",".join(out) + row.end


@st.composite
def files(draw: st.DrawFn) -> tuple[str, list[Row]]:
    """An encoding and the rows of a file in it."""
    encoding = draw(st.sampled_from(["utf-8", "cp1252"]))
    letters = PLAIN + LATIN + (UTF8_ONLY if encoding == "utf-8" else "")
    text = st.one_of(st.text(alphabet=letters + '",\n\r', max_size=12), st.sampled_from(SPECIAL))
    rows = []
    for index in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["good"] * 6 + ["columns", "id"]))
        person = str(index + 1) if kind != "id" else f"x{index}"
        name = "N" + draw(text)
        cells = [person, name, draw(text), "Office" + draw(text), draw(text), draw(text), draw(text), ""]
        if kind == "columns":
            cells.pop()
        stray = draw(st.booleans()) and draw(st.booleans())
        if stray:  # the other encoding must be able to write it
            cells = [c.translate({ord(ch): "L" for ch in UTF8_ONLY}) for c in cells]
        quoted = tuple(draw(st.booleans()) for _ in cells)
        rows.append(Row(tuple(cells), quoted, draw(st.sampled_from(BREAKS[:2])), stray))
    return encoding, rows


def _decided(data: bytes) -> str:
    """The file's encoding by the documented rule (reports.md): the non-ASCII lines vote."""
    valid = invalid = 0
    for line in data.splitlines():
        if not line.isascii():
            try:
                line.decode("utf-8")
                valid += 1
            except UnicodeDecodeError:
                invalid += 1
    return "cp1252" if invalid > valid else "utf-8"


def _fits(line: bytes, encoding: str) -> bool:
    if line.isascii():
        return True
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return encoding == "cp1252"
    return encoding == "utf-8"


def _expected(encoding: str, rows: list[Row]) -> tuple[list[tuple[object, ...]], list[int], int, int]:
    """What must load, the bad lines, the rows read and how many have another column count: the csv
    module on the file's true text."""
    other = "cp1252" if encoding == "utf-8" else "utf-8"
    data = b"".join(_render(r).encode(other if r.stray else encoding) for r in rows)
    decided = _decided(data)
    physical = data.splitlines()
    true_text = "".join(_render(r) for r in rows)
    reader = csv.reader(io.StringIO(true_text, newline=""))
    good: list[tuple[object, ...]] = []
    bad: list[int] = []
    read = before = wrong_width = 0
    for cells in reader:
        line, before = before + 1, reader.line_num
        read += 1
        wrong_width += len(cells) != 8
        fits = all(_fits(b, decided) for b in physical[line - 1 : before])
        if len(cells) != 8 or not fits or not cells[0].isdigit():
            bad.append(line)
            continue
        values = [c.strip() or None for c in cells]
        good.append((int(cells[0]), *values[1:7], None))
    return good, bad, read, wrong_width


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files(), st.one_of(st.integers(1, 40), st.just(1024 * 1024)))
def test_the_reader_reads_what_the_csv_module_reads(file: tuple[str, list[Row]], size: int) -> None:
    encoding, rows = file
    other = "cp1252" if encoding == "utf-8" else "utf-8"
    data = b"".join(_render(r).encode(other if r.stray else encoding) for r in rows)
    good, bad, read, wrong_width = _expected(encoding, rows)
    policy = {"max_bad_row_ratio": 1.0, "bad_rows_kept": 1000}
    if wrong_width * 2 > read:  # most rows have another column count: the wrong file
        with pytest.raises(ReportRejected, match="wrong column count"):
            asyncio.run(parse(ReportName.MEDIA_PARTNERS, data, size, **policy))
        return
    loaded, parser = asyncio.run(parse(ReportName.MEDIA_PARTNERS, data, size, **policy))
    assert sorted(b.line for b in parser.stats.bad_rows) == bad, parser.stats.bad_rows
    assert [msgspec.structs.astuple(r) for r in loaded] == good
    assert parser.stats.rows_read == read
