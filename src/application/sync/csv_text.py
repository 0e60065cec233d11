"""Bytes of a CSV file, as they arrive, decoded into text pieces that end at a line break.

Where records end is left to the csv reader (parser.py): a piece only ends at a line break, which is a
record boundary or a line break inside a quoted field; the parser holds back a record that may go on.

The encoding is decided once per file (reports.md). Lines of ASCII read the same in both encodings, so
nothing is decided until the first line holding another byte; then the lines starting in the next
DECIDE_BYTES vote: the file is Windows-1252 when more of them are not valid UTF-8 than are, else UTF-8.
A UTF-8 byte-order mark decides UTF-8 at once. After that, a line that does not fit the file's encoding
(invalid UTF-8 in a UTF-8 file; valid UTF-8, or a byte Windows-1252 does not define, in a Windows-1252
file) is not guessed at: the piece names it, and the parser makes its row a bad row.

The first bytes are checked: an HTML error page, JSON or a binary file served where CSV was expected
is refused before anything is parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_PENDING_BYTES = 16 * 1024 * 1024  # a line without end must not make us hold the whole file
SNIFF_BYTES = 512
BINARY_NUL_SHARE = 0.05  # UTF-16 text is half NUL bytes; one NUL in a CSV row is a bad row, not binary
DECIDE_BYTES = 1024 * 1024
UTF8, CP1252 = "UTF-8", "Windows-1252"
_NOT_ASCII = re.compile(rb"[\x80-\xff]")


class NotCsv(Exception):
    """The file is not CSV at all; the message says what it looks like."""


@dataclass(frozen=True)
class Piece:
    """Decoded text ending at a line break (or the file's end), and the lines of it that cannot be read:
    their index in the piece (lines end at \\n, \\r or \\r\\n, as the csv module's newline='' reads)."""

    text: str
    bad_lines: dict[int, str] = field(default_factory=dict)


def _preview(head: bytes) -> str:
    text = head[:80].decode("utf-8", errors="replace")
    return " ".join(text.split())


def sniff(head: bytes) -> None:
    """Raise NotCsv when the first bytes are those of an HTML page, JSON, a spreadsheet or binary data."""
    start = head.lstrip()
    if start.startswith(b"<"):
        raise NotCsv(f"not CSV: the file is an HTML/XML page ({_preview(start)!r})")
    if start.startswith((b"{", b"[")):
        raise NotCsv(f"not CSV: the file looks like JSON ({_preview(start)!r})")
    if start.startswith(b"PK\x03\x04"):
        raise NotCsv("not CSV: the file is a ZIP archive (an .xlsx spreadsheet?); export it as CSV")
    if head.count(b"\x00") > len(head) * BINARY_NUL_SHARE:
        raise NotCsv("not CSV: the file contains binary data (UTF-16 text? export it as UTF-8)")


def _cut(data: bytes, final: bool) -> int:
    """Where the complete lines end: after the last \\n, or the last \\r unless it may be half a \\r\\n."""
    if final:
        return len(data)
    end = max(data.rfind(b"\n"), data.rfind(b"\r", 0, len(data) - 1))
    return end + 1


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def vote(window: bytes) -> str:
    """The encoding most of the window's lines holding non-ASCII bytes are in (UTF-8 on a tie)."""
    valid = invalid = 0
    for line in window.splitlines():
        if not line.isascii():
            if _is_utf8(line):
                valid += 1
            else:
                invalid += 1
    return CP1252 if invalid > valid else UTF8


def _line_problem(line: bytes, encoding: str) -> str | None:
    if encoding == UTF8:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            return f"not valid UTF-8 (byte 0x{line[exc.start]:02X}), and the file is read as UTF-8"
        return None
    if _is_utf8(line):
        return "UTF-8 text in a file read as Windows-1252 (most of its first lines that are not ASCII are)"
    try:
        line.decode("cp1252")
    except UnicodeDecodeError as exc:
        return f"byte 0x{line[exc.start]:02X} is not a Windows-1252 character"
    return None


def decode(data: bytes, encoding: str) -> Piece:
    """The text of whole lines in the file's encoding; lines that do not fit it are named, not guessed."""
    codec = "utf-8" if encoding == UTF8 else "cp1252"
    try:
        if encoding == UTF8 or data.isascii():
            return Piece(data.decode(codec))
    except UnicodeDecodeError:
        pass
    texts, bad = [], {}
    for index, line in enumerate(data.splitlines(keepends=True)):
        if line.isascii():
            texts.append(line.decode("ascii"))
            continue
        if (problem := _line_problem(line, encoding)) is not None:
            bad[index] = problem
        texts.append(line.decode(codec, errors="replace"))
    return Piece("".join(texts), bad)


class CsvText:
    """Feed bytes in; take out decoded pieces made of whole lines."""

    def __init__(self) -> None:
        self._pending = b""
        self._started = False
        self.bytes_read = 0
        self.encoding: str | None = None  # None while every line so far was ASCII

    def _start(self, data: bytes, final: bool) -> bytes | None:
        if len(data) < SNIFF_BYTES and not final:
            return None
        sniff(data[:SNIFF_BYTES])
        self._started = True
        if data.startswith(b"\xef\xbb\xbf"):
            self.encoding = UTF8
        return data.removeprefix(b"\xef\xbb\xbf")

    def feed(self, chunk: bytes) -> Piece | None:
        """Add bytes; return the complete lines received so far, if any."""
        self.bytes_read += len(chunk)
        data = self._pending + chunk
        if not self._started:
            started = self._start(data, final=False)
            if started is None:
                self._pending = data
                return None
            data = started
        return self._take(data, final=False)

    def close(self) -> Piece | None:
        """The rest, at the end of the file."""
        data = self._pending
        self._pending = b""
        if not self._started:
            data = self._start(data, final=True) or b""
        return self._take(data, final=True) if data else None

    def _take(self, data: bytes, final: bool) -> Piece | None:
        cut = _cut(data, final)
        if cut == 0:
            if len(data) > MAX_PENDING_BYTES:
                raise NotCsv(f"not CSV: no line break in the first {MAX_PENDING_BYTES // 2**20} MB")
            self._pending = data
            return None
        if self.encoding is None and not data.isascii() and (found := _NOT_ASCII.search(data, 0, cut)):
            line_start = max(data.rfind(b"\n", 0, found.start()), data.rfind(b"\r", 0, found.start())) + 1
            window = data[line_start : line_start + DECIDE_BYTES]
            if len(window) < DECIDE_BYTES and not final:  # wait for the whole window
                self._pending = data[line_start:]
                # the ASCII lines before it read the same whatever is decided
                return Piece(data[:line_start].decode("ascii")) if line_start else None
            whole = final and len(window) < DECIDE_BYTES
            self.encoding = vote(window[: _cut(window, whole) or len(window)])
        self._pending = data[cut:]
        return decode(data[:cut], self.encoding or UTF8)
