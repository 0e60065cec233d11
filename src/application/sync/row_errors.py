"""Why a report row is bad, in words people can act on: the column's title and what is wrong with it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from application.storable_text import unstorable
from application.sync.fields import BadValue
from application.sync.specs import ReportSpec

_PATH = re.compile(r" - at `\$\[(\d+)\]`$")


def unstorable_cell(spec: ReportSpec, cells: Sequence[str]) -> str:
    """The first cell holding text that cannot be stored (a NUL), by its column title."""
    for title, text in zip(spec.titles, cells, strict=True):
        if (problem := unstorable(text)) is not None:
            return f"{title}: {problem}"
    return "unreadable row"


def cell_error(spec: ReportSpec, cells: Sequence[str]) -> str:
    """The first cell its parser cannot read, and why."""
    for title, cell, text in zip(spec.titles, spec.cells, cells, strict=True):
        try:
            cell(text)
        except BadValue as exc:
            return f"{title}: {exc}"
    return "unreadable row"


def conversion_error(spec: ReportSpec, row: Sequence[object], message: str) -> str:
    """msgspec's conversion error of a row, with the column's title and value instead of `$[i]`."""
    match = _PATH.search(message)
    if match is None:
        return message
    index = int(match.group(1))
    title, value = spec.titles[index], row[index]
    if value is None:
        return f"{title} is empty"
    return f"{title} {value!r}: {message[: match.start()]}"
