"""Parse one report's CSV bytes into typed records, in batches, keeping every bad row with its line."""

from __future__ import annotations

import csv
import gc
import io
from collections import Counter
from collections.abc import AsyncIterable, AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import msgspec

from application.sync.csv_text import CsvText, NotCsv, Piece
from application.sync.fields import BadValue
from application.sync.records import BadRow, LoadPolicy
from application.sync.row_errors import cell_error, conversion_error, unstorable_cell
from application.sync.specs import ReportSpec

Record = tuple[Any, ...]  # a row's values in file order, then its line number
EARLY_VERDICT_ROWS = 1000
MAX_RECORD_CHARS = 16 * 1024 * 1024  # one record held back across pieces, at most


class ReportRejected(Exception):
    """The report as a whole looks wrong and must not replace the current data."""


@dataclass
class ParseStats:
    """What the parser saw: rows read, bad rows (the first few kept with their reasons)."""

    keep: int
    rows_read: int = 0
    rows_rejected: int = 0
    bad_rows: list[BadRow] = field(default_factory=list)
    column_counts: Counter[int] = field(default_factory=Counter)
    header_skipped: bool = False

    def reject(self, line: int, reason: str) -> None:
        """Count a bad row; keep its reason while fewer than `keep` are kept."""
        self.rows_rejected += 1
        if len(self.bad_rows) < self.keep:
            self.bad_rows.append(BadRow(line, reason))


def _unreadable(bad_lines: dict[int, str], first: int, last: int) -> str | None:
    """Why a row spanning lines first..last cannot be read, if one of its lines has bytes that do not fit."""
    for number in range(first, last + 1):
        if (reason := bad_lines.get(number)) is not None:
            return reason if number == first else f"line {number}: {reason}"
    return None


@contextmanager
def _no_gc() -> Iterator[None]:
    # A batch allocates tens of thousands of lists; the cyclic collector would scan them over and over.
    # The block is synchronous, so no other task runs while collection is paused.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class ReportParser:
    """Turns the bytes of one report into typed records; raises ReportRejected when it is not usable."""

    def __init__(self, spec: ReportSpec, policy: LoadPolicy) -> None:
        self.spec = spec
        self.policy = policy
        self.stats = ParseStats(keep=policy.bad_rows_kept)
        self._line = 0
        self._width = len(spec.columns)
        self._header_titles = [t.lower().replace(" ", "_") for t in spec.titles]
        self._text = CsvText()
        self._held: list[str] = []  # lines of a record that may go on in the next piece
        self._bad_lines: dict[int, str] = {}  # line number -> why its bytes cannot be read

    @property
    def bytes_read(self) -> int:
        """Bytes received so far."""
        return self._text.bytes_read

    @property
    def encoding(self) -> str | None:
        """The file's encoding as decided (UTF-8 or Windows-1252); None while every line was ASCII."""
        return self._text.encoding

    async def records(self, chunks: AsyncIterable[bytes]) -> AsyncIterator[list[Record]]:
        """Batches of records; after the last one, the stats are complete and the verdict passed."""
        text = self._text
        try:
            async for chunk in chunks:
                piece = text.feed(chunk)
                if piece is not None:
                    batch = self._parse(piece, final=False)
                    if batch:
                        yield batch
            piece = text.close()
            batch = self._parse(piece or Piece(""), final=True)
        except NotCsv as exc:
            raise ReportRejected(str(exc)) from None
        if batch:
            yield batch
        self._verdict(final=True)

    def _parse(self, piece: Piece, *, final: bool) -> list[Record]:
        with _no_gc():
            rows = self._rows(piece, final)
            try:
                records: list[Record] = msgspec.convert(rows, self.spec.record_type, strict=False)
            except msgspec.ValidationError:
                records = self._one_by_one(rows)
            if self.spec.date_range is not None:
                records = self._dates_in_order(records)
        self._verdict(final=False)
        return records

    def _lines(self, piece: Piece) -> list[str]:
        """The held lines and the piece's, as the csv module splits them (newline='')."""
        new = io.StringIO(piece.text, newline="").readlines()  # lines end at \n, \r or \r\n
        start = self._line + 1 + len(self._held)
        for index, reason in piece.bad_lines.items():
            self._bad_lines[start + index] = reason
        if not self._held:
            return new
        if sum(map(len, self._held)) > MAX_RECORD_CHARS:
            raise NotCsv(
                f"not CSV: a record longer than {MAX_RECORD_CHARS // 2**20} MB from line {self._line + 1}"
            )
        return self._held + new

    def _rows(self, piece: Piece, final: bool) -> list[list[object]]:
        stats, width, normalise = self.stats, self._width, self.spec.normalise
        lines = self._lines(piece)
        reader = csv.reader(lines)
        has_nul = "\x00" in piece.text or any("\x00" in held for held in self._held)  # rare: per row if so
        bad_lines = self._bad_lines
        last = -1 if final else len(lines)  # a record ending on the last line may go on, unless it is the end
        base, consumed = self._line, 0
        out: list[list[object]] = []
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                stats.rows_read += 1
                stats.reject(base + consumed + 1, f"not valid CSV: {exc}")
                consumed = reader.line_num
                continue
            if reader.line_num == last:
                break  # the record reached the end of what arrived: read it again with the next piece
            line = base + consumed + 1
            consumed = reader.line_num
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue  # blank line
            if line == 1 and self._is_header(cells):
                stats.header_skipped = True
                continue
            stats.rows_read += 1
            if len(cells) != width:
                stats.column_counts[len(cells)] += 1
                stats.reject(line, f"{len(cells)} columns, expected {width}")
                continue
            if bad_lines and (problem := _unreadable(bad_lines, line, base + consumed)) is not None:
                stats.reject(line, problem)
                continue
            if has_nul and any("\x00" in cell for cell in cells):
                stats.reject(line, unstorable_cell(self.spec, cells))
                continue
            try:
                out.append(normalise(cells, line))
            except BadValue:
                stats.reject(line, cell_error(self.spec, cells))
        self._held = lines[consumed:]
        self._line = base + consumed
        if bad_lines:
            self._bad_lines = {n: r for n, r in bad_lines.items() if n > self._line}
        return out

    def _is_header(self, cells: Sequence[str]) -> bool:
        return [c.strip().lower().replace(" ", "_") for c in cells] == self._header_titles

    def _one_by_one(self, rows: list[list[object]]) -> list[Record]:
        record_type = self.spec.record_type.__args__[0]
        records: list[Record] = []
        for row in rows:
            try:
                records.append(msgspec.convert(row, record_type, strict=False))
            except msgspec.ValidationError as exc:
                line = row[-1]
                assert isinstance(line, int)
                self.stats.reject(line, conversion_error(self.spec, row, str(exc)))
        return records

    def _dates_in_order(self, records: list[Record]) -> list[Record]:
        start, end = self.spec.date_range or (0, 0)
        kept = [r for r in records if r[end] >= r[start]]
        if len(kept) < len(records):
            for r in records:
                if r[end] < r[start]:
                    title = self.spec.titles[end]
                    self.stats.reject(r[-1], f"{title} {r[end].isoformat()} is before {r[start].isoformat()}")
        return kept

    def _verdict(self, *, final: bool) -> None:
        stats = self.stats
        if stats.rows_read == 0 or (not final and stats.rows_read < EARLY_VERDICT_ROWS):
            return  # an empty file: the loader decides, against the current table
        counts = stats.column_counts
        if sum(counts.values()) * 2 > stats.rows_read:
            usual, _ = counts.most_common(1)[0]
            raise ReportRejected(
                f"wrong column count: most rows have {usual} columns, the {self.spec.name} report has "
                f"{self._width}; is this the right file?"
            )
        ratio = stats.rows_rejected / stats.rows_read
        if ratio > self.policy.max_bad_row_ratio:
            first = stats.bad_rows[0] if stats.bad_rows else None
            example = f" (first: line {first.line}, {first.reason})" if first else ""
            where = "" if final else f" in the first {stats.rows_read} rows"
            raise ReportRejected(
                f"too many bad rows{where}: {stats.rows_rejected} of {stats.rows_read} "
                f"({ratio:.1%}, the limit is {self.policy.max_bad_row_ratio:.1%}){example}"
            )
