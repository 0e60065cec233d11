"""Which dates the service accepts: those FMS's two-digit years carry, and loans of a bounded length.

FMS takes dates as `MM/DD/YY` and parses them with Ruby's `Date.strptime(..., "%m/%d/%y")`, whose `%y`
follows POSIX: `69`-`99` are 1969-1999 and `00`-`68` are 2000-2068. So exactly the days from
1969-01-01 to 2068-12-31 survive the round trip (date -> `MM/DD/YY` -> FMS's date) unchanged; any other
day would reach FMS as a day of another century (0026-11-29 and 2126-11-29 both become 2026-11-29).
Every date the service accepts (bodies, query windows, report cells) and every date it sends is inside
that window, so the local overlap checks see the same days FMS will.

A loan is also at most a configured number of days long (LOAN_MAX_DAYS, default 120). Checking the
window before any arithmetic also keeps `start + n days` far from `date.max`: nothing overflows.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from domain.errors import InvalidDates
from domain.values import DEFAULT_LOAN_DAYS, DayRange

FMS_FIRST_DAY = date(1969, 1, 1)
FMS_LAST_DAY = date(2068, 12, 31)
DEFAULT_LOAN_MAX_DAYS = 120


class DateOutsideFmsWindow(InvalidDates):
    """A date FMS's two-digit years cannot carry without turning it into a day of another century."""

    def __init__(self, day: date, field: str) -> None:
        super().__init__(
            f"{field} {day.isoformat()} is outside the dates FMS can carry "
            f"({FMS_FIRST_DAY.isoformat()} to {FMS_LAST_DAY.isoformat()}: FMS writes years with two digits)"
        )
        self.day = day
        self.field = field


class LoanTooLong(InvalidDates):
    """A loan longer than the configured maximum number of days."""

    def __init__(self, days: DayRange, max_days: int) -> None:
        length = (days.end - days.start).days
        super().__init__(
            f"a loan is at most {max_days} days long; {days.start.isoformat()} to {days.end.isoformat()} "
            f"is {length} days"
        )
        self.length = length
        self.max_days = max_days


def in_fms_window(day: date) -> bool:
    """True when FMS's `MM/DD/YY` carries the day unambiguously."""
    return FMS_FIRST_DAY <= day <= FMS_LAST_DAY


def fms_day(day: date, field: str = "date") -> date:
    """The day itself; DateOutsideFmsWindow (naming the field) when FMS could not carry it."""
    if not in_fms_window(day):
        raise DateOutsideFmsWindow(day, field)
    return day


def fms_moment(moment: datetime, field: str = "time") -> datetime:
    """A point in time whose calendar day (in its own zone) is inside the FMS window.

    The window is centuries away from the ends of `datetime`, so converting the moment to UTC after
    this check cannot overflow (0001-01-01T00:00+23:00 could).
    """
    fms_day(moment.date(), field)
    return moment


def window_days(start: date, end: date, *, fields: tuple[str, str] = ("start_date", "end_date")) -> None:
    """Both ends of a query window inside the FMS window (a window reads what a loan could hold)."""
    fms_day(start, fields[0])
    fms_day(end, fields[1])


def loan_end(start: date, end: date | None, *, start_field: str = "start_day") -> date:
    """The end of a loan: the given one, or a week after a start that has first been checked."""
    fms_day(start, start_field)
    return end if end is not None else start + timedelta(days=DEFAULT_LOAN_DAYS)


def loan_days(
    start: date,
    end: date,
    *,
    max_days: int = DEFAULT_LOAN_MAX_DAYS,
    fields: tuple[str, str] = ("start_day", "end_day"),
) -> DayRange:
    """The days of a valid loan: both ends in the FMS window, start before end, at most max_days long."""
    fms_day(start, fields[0])
    fms_day(end, fields[1])
    if start >= end:
        raise InvalidDates(f"{fields[0]} {start.isoformat()} must be before {fields[1]} {end.isoformat()}")
    days = DayRange(start, end)
    if (end - start).days > max_days:
        raise LoanTooLong(days, max_days)
    return days
