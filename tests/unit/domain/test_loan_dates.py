"""The date window FMS's two-digit years carry, and the length of a loan (domain/loan_dates.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.assignment import Assignment
from domain.errors import InvalidDates
from domain.loan_dates import (
    FMS_FIRST_DAY,
    FMS_LAST_DAY,
    DateOutsideFmsWindow,
    LoanTooLong,
    fms_day,
    fms_moment,
    in_fms_window,
    loan_days,
    loan_end,
)
from domain.reference import Partner, Vehicle
from domain.request_rules import check_request_rules
from domain.values import DayRange, Status


def fms_round_trip(day: date) -> date:
    """What FMS reads back from what we send: MM/DD/YY parsed with %y's POSIX rule (as Ruby's strptime)."""
    return datetime.strptime(day.strftime("%m/%d/%y"), "%m/%d/%y").date()


@given(st.dates())
def test_the_window_is_exactly_the_days_fms_reads_back_unchanged(day: date) -> None:
    assert in_fms_window(day) == (fms_round_trip(day) == day)


def test_the_window_is_1969_to_2068() -> None:
    assert date(1969, 1, 1) == FMS_FIRST_DAY
    assert date(2068, 12, 31) == FMS_LAST_DAY
    assert fms_round_trip(date(1969, 1, 1)) == date(1969, 1, 1)
    assert fms_round_trip(date(1968, 12, 31)) == date(2068, 12, 31)  # why 1968 is refused
    assert fms_round_trip(date(2069, 1, 1)) == date(1969, 1, 1)  # and why 2069 is


@pytest.mark.parametrize("day", [date(1, 1, 1), date(26, 11, 29), date(2126, 11, 29), date.max])
def test_a_day_outside_is_refused_naming_the_field(day: date) -> None:
    with pytest.raises(DateOutsideFmsWindow, match=f"start_day {day.isoformat()} is outside") as caught:
        fms_day(day, "start_day")
    assert isinstance(caught.value, InvalidDates)  # answered 422, like every rule on dates


@given(st.dates(), st.one_of(st.none(), st.dates()))
def test_the_default_end_never_overflows(start: date, end: date | None) -> None:
    try:
        got = loan_end(start, end)
    except DateOutsideFmsWindow:
        assert not in_fms_window(start)
        return
    assert got == (end if end is not None else start + timedelta(days=7))


@given(st.dates(), st.dates(), st.integers(min_value=1, max_value=3660))
def test_a_loan_is_accepted_exactly_when_every_rule_holds(start: date, end: date, max_days: int) -> None:
    valid = in_fms_window(start) and in_fms_window(end) and start < end and (end - start).days <= max_days
    try:
        days = loan_days(start, end, max_days=max_days)
    except InvalidDates:
        assert not valid
        return
    assert valid
    assert days == DayRange(start, end)


@given(st.dates(min_value=FMS_FIRST_DAY, max_value=FMS_LAST_DAY - timedelta(days=200)))
def test_the_longest_loan_is_max_days(start: date) -> None:
    loan_days(start, start + timedelta(days=120), max_days=120)
    with pytest.raises(LoanTooLong, match=r"at most 120 days long; .* is 121 days"):
        loan_days(start, start + timedelta(days=121), max_days=120)


@given(
    st.datetimes(timezones=st.sampled_from([None, UTC, timezone(timedelta(hours=23, minutes=59))]))
    | st.datetimes(timezones=st.just(timezone(-timedelta(hours=23, minutes=59))))
)
def test_a_moment_that_passes_converts_to_utc_without_overflow(moment: datetime) -> None:
    try:
        fms_moment(moment, "since")
    except DateOutsideFmsWindow:
        assert not in_fms_window(moment.date())
        return
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    utc_day = aware.astimezone(UTC).date()  # what overflows for 0001-01-01T00:00+23:00
    assert FMS_FIRST_DAY - timedelta(days=1) <= utc_day <= FMS_LAST_DAY + timedelta(days=1)


@pytest.mark.parametrize(
    ("start", "end"), [(date(26, 11, 29), date(26, 12, 6)), (date(2126, 11, 29), date(2126, 12, 6))]
)
def test_an_assignment_stored_outside_the_window_cannot_be_requested(start: date, end: date) -> None:
    a = Assignment("1HGCM82633A004352", 10, "LA", start, end, Status.MANUAL, assignment_id=42)
    vehicle = Vehicle(a.vin, "LA", fms_vehicle_id=101)
    with pytest.raises(DateOutsideFmsWindow, match="start_day"):
        check_request_rules(
            a, vehicle=vehicle, partner=Partner(10, "LA", "Ada"), requestor_id=900, other_bookings=()
        )
