"""Bytes of a CSV file, as they arrive, cut into text pieces that end at a record boundary.

A piece ends at a newline outside any quoted field (an even number of quotes so far), so a quoted
field with a newline inside is never split. The first bytes are checked: an HTML error page, JSON or a
binary file served where CSV was expected is refused before anything is parsed.
"""

from __future__ import annotations

MAX_PENDING_BYTES = 16 * 1024 * 1024  # an unbalanced quote must not make us hold the whole file
SNIFF_BYTES = 512
BINARY_NUL_SHARE = 0.05  # UTF-16 text is half NUL bytes; one NUL in a CSV row is a bad row, not binary


class NotCsv(Exception):
    """The file is not CSV at all; the message says what it looks like."""


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


def decode(data: bytes) -> str:
    """UTF-8, or Windows-1252 for files exported that way (never fails)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


class CsvText:
    """Feed bytes in; take out text pieces made of whole records."""

    def __init__(self) -> None:
        self._pending = b""
        self._started = False
        self.bytes_read = 0

    def _start(self, data: bytes, final: bool) -> bytes | None:
        if len(data) < SNIFF_BYTES and not final:
            return None
        sniff(data[:SNIFF_BYTES])
        self._started = True
        return data.removeprefix(b"\xef\xbb\xbf")

    def feed(self, chunk: bytes) -> str | None:
        """Add bytes; return the complete records received so far, if any."""
        self.bytes_read += len(chunk)
        data = self._pending + chunk
        if not self._started:
            started = self._start(data, final=False)
            if started is None:
                self._pending = data
                return None
            data = started
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            if len(data) > MAX_PENDING_BYTES:
                raise NotCsv(f"not CSV: no line break in the first {MAX_PENDING_BYTES // 2**20} MB")
            self._pending = data
            return None
        text = decode(data[:cut])
        if text.count('"') % 2 and len(data) < MAX_PENDING_BYTES:
            self._pending = data  # the last newline is inside a quoted field: wait for more
            return None
        self._pending = data[cut:]
        return text

    def close(self) -> str | None:
        """The rest, at the end of the file."""
        data = self._pending
        self._pending = b""
        if not self._started:
            started = self._start(data, final=True)
            data = started or b""
        return decode(data) if data.strip() else None
