"""A lookup answers "none" only when FMS's answer provably covers the reference: filtered and whole.

Every shape an API uses to say "there is more" (headers, body fields, HAL/JSON:API/DRF links, full
pages) makes the answer ambiguous, whatever the listing holds; answers that say they are whole are
judged on what they list.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from adapters.fms_http.gateway import HttpFmsGateway
from application.port_errors import FmsAmbiguous
from tests.unit.adapters.test_fms_http_wire import gateway_with

REF = "media-scheduler:assignment=7:op=0b6f"
OURS = {"request": {"id": 41, "requestorNotes": REF}}
OTHER = {"request": {"id": 42, "requestorNotes": "media-scheduler:assignment=8:op=11aa"}}


def answering(body: Any, headers: dict[str, str] | None = None, status: int = 200) -> HttpFmsGateway:
    """A gateway whose FMS answers every call with this JSON body and these headers."""
    return gateway_with(lambda _: httpx.Response(status, json=body, headers=headers), [])


@pytest.mark.parametrize(
    ("body", "headers", "found"),
    [
        ({"requests": []}, None, None),
        ([OURS], None, 41),
        ({"requests": [OURS, OURS]}, None, 41),  # one request listed twice is still one
        ({"requests": [], "meta": {"current_page": 1, "total_pages": 1, "total_count": 0}}, None, None),
        ({"requests": [OURS], "meta": {"per_page": 25, "total_count": 1, "next_page": None}}, None, 41),
        ({"results": [], "count": 0, "next": None, "previous": None}, None, None),  # DRF
        ({"data": [OURS], "links": {"next": None, "self": "/x"}}, None, 41),  # JSON:API
        ({"requests": []}, {"X-Total-Count": "0", "X-Total-Pages": "1"}, None),
        ({"requests": [OURS]}, {"Link": '</x?page=1>; rel="first", </x?page=1>; rel="last"'}, 41),
        ({"requests": []}, {"Content-Range": "items */0"}, None),
        ({"requests": [OURS]}, {"Content-Range": "items 0-0/1"}, 41),
    ],
)
async def test_an_answer_that_says_it_is_whole_is_judged_on_what_it_lists(
    body: Any, headers: dict[str, str] | None, found: int | None
) -> None:
    assert await answering(body, headers).find_by_reference(REF) == found


PAGED: list[tuple[Any, dict[str, str] | None]] = [
    ({"requests": []}, {"Link": '<https://fms/api/v1/vehicle_requests?page=2>; rel="next"'}),
    ({"requests": []}, {"link": '<https://fms/x?page=1>; rel="prev"'}),
    ({"requests": []}, {"X-Total-Count": "40"}),
    ({"requests": []}, {"Total": "40", "Per-Page": "25"}),
    ({"requests": []}, {"X-Total-Pages": "2"}),
    ({"requests": []}, {"X-Next-Page": "2"}),
    ({"requests": []}, {"X-Page": "3"}),
    ({"requests": [OURS]}, {"X-Per-Page": "1"}),  # a full page: more may follow
    ({"requests": []}, {"Content-Range": "items 0-24/100"}),
    ({"requests": []}, {"Content-Range": "items 0-24/*"}),
    ({"requests": []}, {"X-Total-Count": "many"}),  # a count we cannot read proves nothing
    ({"requests": [], "meta": {"total_count": 40}}, None),
    ({"requests": [], "meta": {"current_page": 1, "total_pages": 2}}, None),
    ({"requests": [], "meta": {"next_page": 2}}, None),
    ({"requests": [], "pagination": {"page": 2}}, None),
    ({"requests": [], "offset": 25}, None),
    ({"requests": [OURS], "per_page": 1}, None),
    ({"requests": [], "has_more": True}, None),
    ({"results": [], "count": 0, "next": "https://fms/api/v1/vehicle_requests?page=2"}, None),  # DRF
    ({"data": [], "links": {"next": "/api/v1/vehicle_requests?page[number]=2"}}, None),  # JSON:API
    ({"requests": [], "_links": {"next": {"href": "/api/v1/vehicle_requests?page=2"}}}, None),  # HAL
    ({"requests": [], "page": {"size": 20, "totalElements": 21, "totalPages": 2}}, None),  # Spring
]


@pytest.mark.parametrize(("body", "headers"), PAGED)
async def test_one_page_of_several_is_ambiguous_even_when_empty(
    body: Any, headers: dict[str, str] | None
) -> None:
    with pytest.raises(FmsAmbiguous, match="one page of several"):
        await answering(body, headers).find_by_reference(REF)


@pytest.mark.parametrize(
    "listing",
    [
        [OTHER],  # only someone else's request: the filter was not applied
        [OURS, OTHER],  # ours, among others: still not a filtered answer
        [{"id": 43, "requestorNotes": None}],
        [{"id": 44, "requestorNotes": ""}],
    ],
)
async def test_a_request_without_the_reference_proves_the_filter_was_ignored(listing: list[Any]) -> None:
    with pytest.raises(FmsAmbiguous, match="ignored the filter"):
        await answering({"requests": listing}).find_by_reference(REF)


async def test_two_distinct_requests_with_the_reference_are_ambiguous_not_the_first() -> None:
    twin = {"request": {"id": 40, "requestorNotes": REF}}
    with pytest.raises(FmsAmbiguous, match=r"2 requests with one reference: \[40, 41\]"):
        await answering({"requests": [OURS, twin]}).find_by_reference(REF)


async def test_more_requests_than_one_filtered_result_could_hold_is_ambiguous() -> None:
    quoting = [{"id": 50 + i, "requestorNotes": f"copy of {REF} #{i}"} for i in range(6)]
    with pytest.raises(FmsAmbiguous, match="more than one filtered result"):
        await answering({"requests": quoting}).find_by_reference(REF)


@pytest.mark.parametrize("status", [201, 203, 206])
async def test_a_lookup_answered_with_another_2xx_than_200_is_ambiguous(status: int) -> None:
    with pytest.raises(FmsAmbiguous) as unclear:
        await answering({"requests": []}, status=status).find_by_reference(REF)
    assert unclear.value.status_code == status
