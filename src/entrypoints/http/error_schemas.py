"""Bodies of error answers (msgspec Structs, for the OpenAPI schema; errors.py builds them)."""

from __future__ import annotations

from datetime import date

import msgspec


class ConflictItem(msgspec.Struct):
    """One clash of a 409 booking conflict."""

    vin: str
    start_date: date
    end_date: date
    held_by: str
    assignment_id: int | None = None
    activity_id: int | None = None
    person_id: int | None = None
    status: str | None = None
    fms_start_date: date | None = None  # the FMS activity's dates in the latest report, when one is involved
    fms_end_date: date | None = None


class ErrorBody(msgspec.Struct):
    """Every error answer: `detail` says what went wrong; the other fields appear where they apply."""

    status_code: int
    detail: str
    assignment_id: int | None = None
    fms_state: str | None = None
    fms_status_code: int | None = None
    may_have_reached_fms: bool | None = None
    vin: str | None = None
    conflicts: list[ConflictItem] | None = None  # at most 50 listed
    conflict_count: int | None = None  # every clash, listed or not
    run_id: int | None = None  # the sync run under way, when a sync is refused for it
