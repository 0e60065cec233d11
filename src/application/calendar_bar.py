"""CalendarBar: one bar of the activity window, as the read model answers it and the API shows it."""

from __future__ import annotations

from datetime import date

import msgspec


class CalendarBar(msgspec.Struct):
    """One bar on the calendar: a completed loan, a current activity, or an assignment.

    The field order is the read model's column order (adapters build bars positionally from rows).
    An assignment holding an FMS activity shows the activity's dates in start_date/end_date (as do
    fms_start_date/fms_end_date); its own dates are assignment_*; dates_differ: FMS changed them, and
    the vehicle is booked for both.
    """

    status: str
    assignment_id: int | None
    activity_id: int | None
    vin: str
    vehicle_id: int | None
    make: str | None
    model: str | None
    start_date: date
    end_date: date
    person_id: int | None
    partner_name: str | None
    office: str | None
    activity_type: str | None
    fms_state: str
    fms_request_id: int | None
    last_error: str | None
    fms_start_date: date | None = None
    fms_end_date: date | None = None
    assignment_start_date: date | None = None
    assignment_end_date: date | None = None
    dates_differ: bool = False
