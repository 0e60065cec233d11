"""FMS's answer to a lookup by reference, judged: "none" only when the answer provably covers it.

An answer covers our reference when FMS applied the filter (every listed request carries the
reference: one that does not proves the filter was ignored) and the answer is whole (nothing says it
is one page of several). Anything else is LookupUnclear, which the gateway raises as ambiguous.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import msgspec

from adapters.fms_http.pages import incompleteness

LIST_KEYS = ("requests", "vehicle_requests", "vehicleRequests", "data", "results", "items")
# A filter on one operation's reference matches one request, or a few whose notes quote it; a longer
# listing is a page of something else, whatever it says about itself.
MOST_PLAUSIBLE_MATCHES = 5


class LookupUnclear(Exception):
    """A lookup answer that does not prove whether FMS holds a request with the reference."""


@dataclass(frozen=True)
class Listed:
    """One request of a lookup answer: its id and requestor notes."""

    request_id: int
    notes: str | None


def _items(document: Any) -> list[Any]:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in LIST_KEYS:
            if isinstance(document.get(key), list):
                return list(document[key])
    raise LookupUnclear("no list of requests in the answer")


def _listed(item: Any) -> Listed:
    body = item.get("request", item) if isinstance(item, dict) else None
    if not isinstance(body, dict):
        raise LookupUnclear("a listed request is not an object")
    key = next((k for k in ("requestorNotes", "requestor_notes") if k in body), None)
    notes = body.get(key) if key else None
    request_id = body.get("id")
    if key is None or not isinstance(notes, str | None) or type(request_id) is not int:
        # Without the notes we cannot tell ours from others: "none found" would be a guess.
        raise LookupUnclear("a listed request has no usable id or requestor notes")
    return Listed(request_id, notes)


def carries(notes: str | None, reference: str) -> bool:
    """True when the notes hold the reference (as any filter on it, exact or "contains", would keep)."""
    return notes is not None and reference.casefold() in notes.casefold()


def is_exactly(notes: str | None, reference: str) -> bool:
    """True when the notes are the reference itself: the request we are looking for."""
    return notes is not None and notes.strip() == reference


def judge_listing(listed: list[Listed], reference: str, *, incomplete: str | None = None) -> int | None:
    """The id of the one request with the reference, None when the listing proves there is none.

    Raises LookupUnclear when the listing is incomplete, ignored the filter, is longer than a filtered
    result could be, or holds two distinct requests with the reference.
    """
    if incomplete is not None:
        raise LookupUnclear(f"the answer is one page of several: {incomplete}")
    strangers = sorted({item.request_id for item in listed if not carries(item.notes, reference)})
    if strangers:
        raise LookupUnclear(
            f"FMS ignored the filter: it listed {len(strangers)} request(s) without the reference, "
            f"e.g. {strangers[:3]}"
        )
    if len(listed) > MOST_PLAUSIBLE_MATCHES:
        raise LookupUnclear(f"{len(listed)} requests listed: more than one filtered result holds")
    ours = sorted({item.request_id for item in listed if is_exactly(item.notes, reference)})
    if len(ours) > 1:
        raise LookupUnclear(f"FMS holds {len(ours)} requests with one reference: {ours}")
    return ours[0] if ours else None


def judge_lookup(status_code: int, headers: Mapping[str, str], content: bytes, reference: str) -> int | None:
    """Judge a whole HTTP answer to GET vehicle_requests?requestor_notes=<reference>."""
    if status_code != 200:
        raise LookupUnclear(f"FMS answered {status_code}, not 200, to a lookup")
    try:
        document = msgspec.json.decode(content)
    except msgspec.DecodeError as exc:
        raise LookupUnclear("the answer is not JSON") from exc
    listed = [_listed(item) for item in _items(document)]
    return judge_listing(listed, reference, incomplete=incompleteness(headers, document, len(listed)))
