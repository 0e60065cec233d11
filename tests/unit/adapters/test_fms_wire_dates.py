"""The FMS wire adapter refuses, rather than sends, a date FMS's MM/DD/YY would read as another day."""

from __future__ import annotations

import dataclasses
from datetime import date

import httpx
import pytest

from adapters.fms_http.wire import create_body, fms_date
from application.port_errors import FmsDefiniteRefusal
from domain.loan_dates import DateOutsideFmsWindow
from tests.unit.adapters.test_fms_http_wire import created, gateway_with, known_request


@pytest.mark.parametrize(
    ("day", "sent"),
    [(date(1969, 1, 1), "01/01/69"), (date(2068, 12, 31), "12/31/68"), (date(2026, 11, 29), "11/29/26")],
)
def test_days_inside_the_window_are_written_mm_dd_yy(day: date, sent: str) -> None:
    assert fms_date(day) == sent


@pytest.mark.parametrize("day", [date(26, 11, 29), date(2126, 11, 29), date(1968, 12, 31), date(2069, 1, 1)])
def test_the_body_is_never_built_for_a_day_outside(day: date) -> None:
    # Each of these would be written as a day FMS reads in another century (0026 and 2126 as 2026).
    with pytest.raises(DateOutsideFmsWindow, match="outside the dates FMS can carry"):
        create_body(dataclasses.replace(known_request(), end_date=day))


@pytest.mark.parametrize("field", ["start_date", "end_date"])
async def test_the_gateway_refuses_without_sending_anything(field: str) -> None:
    seen: list[httpx.Request] = []
    far = date(2126, 11, 29)
    request = (
        dataclasses.replace(known_request(), start_date=far)
        if field == "start_date"
        else dataclasses.replace(known_request(), end_date=far)
    )
    with pytest.raises(FmsDefiniteRefusal, match=f"not sent to FMS: {field} 2126-11-29 is outside"):
        await gateway_with(created, seen).create_request(request)
    assert seen == []
