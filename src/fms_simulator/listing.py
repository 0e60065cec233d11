"""The simulator's answers to GET /api/v1/vehicle_requests: filtered, or as the lookup faults say.

- normal: the requests whose requestor_notes are exactly the `requestor_notes` parameter (all
  requests without it), in one answer `{"requests": [...]}`;
- lookup_unfiltered: the parameter is ignored, every request is listed (FMS not knowing the filter);
- lookup_paged: page 1 of the unfiltered listing, `page_size` requests, the way Rails' kaminari and
  api-pagination answer: `meta` with current_page/per_page/total_pages/total_count, an
  `X-Total-Count` header, and a `Link: <...page=2...>; rel="next"` header when there are more pages.
"""

from __future__ import annotations

from typing import Any

from litestar import Response

from adapters.fms_faults import FmsFault
from fms_simulator.faults import FaultRule
from fms_simulator.state import SimState


def listing_response(
    sim: SimState, requestor_notes: str | None, fault: FaultRule | None, url: str
) -> Response[Any]:
    """The lookup's answer; `fault` is a lookup fault rule or None, `url` the request's URL without query."""
    if fault is None or fault.mode not in (FmsFault.LOOKUP_UNFILTERED, FmsFault.LOOKUP_PAGED):
        return Response({"requests": [sim.as_json(r) for r in sim.find(requestor_notes)]})
    everything = sim.find(None)
    if fault.mode is FmsFault.LOOKUP_UNFILTERED:
        return Response({"requests": [sim.as_json(r) for r in everything]})
    size = fault.page_size
    total_pages = max(1, -(-len(everything) // size))
    meta = {"current_page": 1, "per_page": size, "total_pages": total_pages, "total_count": len(everything)}
    headers = {"X-Total-Count": str(len(everything))}
    if total_pages > 1:
        last = f"{url}?page={total_pages}&per_page={size}"
        headers["Link"] = f'<{url}?page=2&per_page={size}>; rel="next", <{last}>; rel="last"'
    page = [sim.as_json(r) for r in everything[:size]]
    return Response({"requests": page, "meta": meta}, headers=headers)
