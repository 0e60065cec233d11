"""Signs that an FMS listing is one page of several: Link headers, totals, next pages, full pages.

FMS's listing is not documented (spec: fms-api.md, "Not known"), so every common way an API says
"there is more" is read: RFC 8288 Link headers, X-Total-Count-style headers, Content-Range, and
pagination fields in the body or in its meta/pagination/links objects (Rails kaminari, will_paginate,
JSON:API, DRF, HAL, Spring). Any of them saying "more", or a value we cannot read, makes the answer
incomplete.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

NEXT_KEYS = frozenset(
    {"next", "next_page", "nextpage", "next_url", "nexturl", "next_page_url", "nextpageurl", "next_link"}
    | {"nextlink", "next_cursor", "nextcursor", "next_token", "nexttoken", "continuation", "cursor"}
    | {"prev", "previous", "prev_page", "prevpage", "previous_page", "previouspage", "prev_url"}
)
MORE_KEYS = frozenset(
    {"has_more", "hasmore", "has_next", "hasnext", "has_next_page", "hasnextpage", "more", "truncated"}
    | {"is_truncated", "istruncated", "more_results", "moreresults", "has_previous_page"}
)
TOTAL_KEYS = frozenset(
    {"total", "total_count", "totalcount", "total_entries", "totalentries", "total_results", "count"}
    | {"totalresults", "total_items", "totalitems", "totalelements", "total_records", "totalrecords"}
)
PAGES_KEYS = frozenset(
    {"total_pages", "totalpages", "pages", "page_count", "pagecount", "num_pages", "last_page"} | {"lastpage"}
)
PAGE_KEYS = frozenset({"page", "current_page", "currentpage", "page_number", "pagenumber"})
OFFSET_KEYS = frozenset({"offset", "skip"})
SIZE_KEYS = frozenset({"per_page", "perpage", "page_size", "pagesize", "limit", "max_results"})
NESTED = frozenset({"meta", "metadata", "pagination", "paging", "page", "page_info", "pageinfo"})
NESTED_LINKS = frozenset({"links", "_links"})
HEADERS = {  # header -> the body field it stands for
    **dict.fromkeys(("x-total-count", "x-total", "total", "total-count", "x-total-entries"), "total"),
    **dict.fromkeys(("x-total-pages", "total-pages"), "total_pages"),
    **dict.fromkeys(("x-page", "x-current-page", "current-page"), "page"),
    **dict.fromkeys(("x-per-page", "per-page", "x-page-size", "x-limit"), "per_page"),
    **dict.fromkeys(("x-next-page", "x-next", "x-next-cursor", "x-continuation-token"), "next"),
    **dict.fromkeys(("x-has-more", "x-more"), "has_more"),
}
_LINK_REL = re.compile(r"""rel\s*=\s*"?([^";]+)"?""", re.IGNORECASE)
_CONTENT_RANGE = re.compile(r"^\s*\w+\s+(?:(\d+)-(\d+)|\*)/(\d+|\*)\s*$")


class _Unreadable(Exception):
    """A pagination value we cannot read: the answer cannot be proven whole."""


def _number(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _Unreadable(repr(value))
    text = str(value).strip()
    if not re.fullmatch(r"-?\d+", text):
        raise _Unreadable(repr(value))
    return int(text)


def _present(value: Any) -> bool:
    """A next-page/has-more value that says "more": anything but null, empty, false or 0."""
    return value not in (None, "", False, 0, "0", "false", "null", [], {})


def _fields(document: Any) -> Iterator[tuple[str, Any]]:
    """The body's top-level fields and those of its pagination objects, keys lowered."""
    if not isinstance(document, Mapping):
        return
    for key, value in document.items():
        name = str(key).lower()
        if name in NESTED and isinstance(value, Mapping):
            yield from ((str(k).lower(), v) for k, v in value.items())
        elif name in NESTED_LINKS and isinstance(value, Mapping):
            yield from ((str(k).lower(), v) for k, v in value.items() if str(k).lower() in NEXT_KEYS)
        else:
            yield name, value


def _field_reason(name: str, value: Any, listed: int) -> str | None:
    if name in NEXT_KEYS and _present(value):
        return f"it names another page ({name})"
    if name in MORE_KEYS and _present(value):
        return f"it says there is more ({name})"
    if name in TOTAL_KEYS and _number(value) != listed:
        return f"it counts {value} ({name}) but lists {listed}"
    if name in PAGES_KEYS and _number(value) > 1:
        return f"it has {value} pages ({name})"
    if name in PAGE_KEYS and _number(value) > 1:
        return f"it is page {value}"
    if name in OFFSET_KEYS and _number(value) > 0:
        return f"it starts at {value} ({name})"
    if name in SIZE_KEYS and listed >= _number(value) > 0:
        return f"it is a full page ({listed} of {name} {value})"
    return None


def _whole_range(content_range: str, listed: int) -> bool:
    """True for `items 0-(n-1)/n` with n listed, or `items */0` with none listed."""
    match = _CONTENT_RANGE.match(content_range)
    if match is None or match[3] == "*":
        return False
    if match[1] is None:
        return int(match[3]) == listed == 0
    return int(match[1]) == 0 and int(match[2]) + 1 == int(match[3]) == listed


def _header_reason(headers: Mapping[str, str], listed: int) -> str | None:
    lowered = {k.lower(): v for k, v in headers.items()}
    for header in lowered.get("link", "").split(","):
        rels = {r.lower() for m in _LINK_REL.finditer(header) for r in m.group(1).split()}
        if rels & {"next", "prev", "previous"}:
            return f"its Link header names another page ({header.strip()[:80]})"
    content_range = lowered.get("content-range")
    if content_range is not None and not _whole_range(content_range, listed):
        return f"its Content-Range is {content_range!r}"
    for name, field in HEADERS.items():
        if name in lowered:
            reason = _field_reason(field, lowered[name], listed)
            if reason is not None:
                return f"{reason}; header {name}"
    return None


def incompleteness(headers: Mapping[str, str], document: Any, listed: int) -> str | None:
    """Why the answer may not be the whole listing (None: nothing says so); listed = items it holds."""
    try:
        reason = _header_reason(headers, listed)
        if reason is not None:
            return reason
        for name, value in _fields(document):
            reason = _field_reason(name, value, listed)
            if reason is not None:
                return reason
    except _Unreadable as exc:
        return f"a pagination value cannot be read: {exc}"
    return None
