"""Field parsers of the FMS reports (reports.md, parsing facts), written for a million rows a run.

Each turns the text of one cell into the value msgspec then converts (strict=False) into the row's
type, or raises BadValue with a reason people can act on. Dates and other repeating values are
parsed once and cached (a report has a few thousand distinct dates for a million rows).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from domain.loan_dates import FMS_FIRST_DAY, FMS_LAST_DAY, in_fms_window

_DATE = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MONTH = re.compile(r"(\d{1,2})/(\d{4})")
_TIME_SUFFIX = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?(\s*[AaPp][Mm])?$")
RANKS = {"A+": "A+", "A": "A", "B": "B", "C": "C", "PENDING": "Pending"}
FLEET_ALIASES = {"VW": "VOLKSWAGEN", "CHEVY": "CHEVROLET", "CHEV": "CHEVROLET"}
_BOOLEANS = {"1.0": True, "0.0": False, "1": True, "0": False, "true": True, "false": False, "": None}
_CACHE_LIMIT = 100_000


class BadValue(ValueError):
    """A cell that cannot be read; the message says why."""


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # two-digit years as FMS (Ruby's %y, POSIX) reads them: 00-68 are 20xx, 69-99 19xx
        year += 2000 if year < 69 else 1900
    return year


def _make_date(year: int, month: int, day: int, text: str) -> date:
    try:
        made = date(year, month, day)
    except ValueError as exc:
        raise BadValue(f"{text!r} is not a valid date ({exc})") from None
    if not in_fms_window(made):
        raise BadValue(
            f"{text!r} is outside the dates FMS can carry ({FMS_FIRST_DAY.isoformat()} to "
            f"{FMS_LAST_DAY.isoformat()})"
        )
    return made


def parse_date(text: str) -> date | None:
    """MM/DD/YY, MM-DD-YY, MM/DD/YYYY (one-digit months and days too; ISO accepted); '' is None."""
    value = _TIME_SUFFIX.sub("", text.strip())
    if not value:
        return None
    if match := _DATE.fullmatch(value):
        month, day, year = match.groups()
        return _make_date(_year(year), int(month), int(day), text)
    if match := _ISO_DATE.fullmatch(value):
        year, month, day = match.groups()
        return _make_date(int(year), int(month), int(day), text)
    raise BadValue(f"{text!r} is not a date (expected MM/DD/YY, MM-DD-YY or MM/DD/YYYY)")


def parse_month(text: str) -> date | None:
    """M/YYYY (the first of that month), or a full date; '' is None."""
    value = text.strip()
    if match := _MONTH.fullmatch(value):
        month, year = match.groups()
        return _make_date(int(year), int(month), 1, text)
    try:
        return parse_date(value)
    except BadValue:
        raise BadValue(f"{text!r} is not a month (expected M/YYYY)") from None


class Cached(dict[str, object]):
    """A dict that parses a missing key with its parser (bounded, so odd files cannot grow it forever)."""

    def __init__(self, parser: Callable[[str], object]) -> None:
        super().__init__()
        self._parser = parser

    def __missing__(self, key: str) -> object:
        value = self._parser(key)
        if len(self) < _CACHE_LIMIT:
            self[key] = value
        return value

    def __call__(self, key: str) -> object:
        """The parsed value of key (cached)."""
        return self[key]


DATES = Cached(parse_date)
MONTHS = Cached(parse_month)


def vin(text: str) -> str:
    """Stripped and upper-cased; required."""
    value = text.strip().upper()
    if not value:
        raise BadValue("VIN is empty")
    return value


def number(text: str) -> str | None:
    """A number as msgspec reads it, without thousands separators ('12,345', '2,025'); '' is None."""
    return text.replace(",", "").strip() or None


def boolean(text: str) -> bool | None:
    """1.0 / 0.0 (also 1, 0, true, false); '' is None."""
    try:
        return _BOOLEANS[text.strip().lower()]
    except KeyError:
        raise BadValue(f"{text!r} is not 1.0, 0.0 or empty") from None


def rank(text: str) -> str:
    """One of A+, A, B, C, Pending (any case)."""
    try:
        return RANKS[text.strip().upper()]
    except KeyError:
        raise BadValue(f"rank {text!r} is not one of A+, A, B, C, Pending") from None


def fleet(text: str) -> str:
    """Upper-cased, with the usual aliases resolved (VW = VOLKSWAGEN, CHEVY/CHEV = CHEVROLET)."""
    value = " ".join(text.split()).upper()
    return FLEET_ALIASES.get(value, value)


def money(text: str) -> Decimal | None:
    """An amount such as '$1,234.50', '-$12' or '(12.00)'; '' is None."""
    value = text.strip().replace("$", "").replace(",", "").replace(" ", "")
    if not value:
        return None
    negative = value.startswith("(") and value.endswith(")")
    try:
        amount = Decimal(value.strip("()"))
    except InvalidOperation:
        raise BadValue(f"{text!r} is not an amount") from None
    if not amount.is_finite():
        raise BadValue(f"{text!r} is not an amount")
    return -amount if negative else amount


def amount(precision: int, scale: int) -> Callable[[str], Decimal | None]:
    """The money parser of a numeric(precision, scale) column: rounded to the scale as PostgreSQL rounds
    (half away from zero), BadValue beyond what the column holds."""
    step = Decimal(1).scaleb(-scale)
    limit = Decimal(1).scaleb(precision - scale)

    def parse(text: str) -> Decimal | None:
        value = money(text)
        if value is None:
            return None
        if value.adjusted() < precision - scale:  # else too large to round within the context's digits
            value = value.quantize(step, rounding=ROUND_HALF_UP)
            if abs(value) < limit:
                return value
        raise BadValue(
            f"{text!r} is beyond the column's numeric({precision},{scale}): at most {limit - step}"
        )

    parse.__doc__ = f"An amount of at most {limit - step}, to {scale} decimals; '' is None."
    return parse


def quarter(text: str) -> str:
    """Q1..Q4 or 1..4 (also '1.0'), as the digit msgspec reads."""
    value = text.strip().upper().removeprefix("Q").removesuffix(".0")
    if value not in ("1", "2", "3", "4"):
        raise BadValue(f"quarter {text!r} is not Q1-Q4 or 1-4")
    return value


def text_or_none(text: str) -> str | None:
    """Stripped text; '' is None."""
    return text.strip() or None
