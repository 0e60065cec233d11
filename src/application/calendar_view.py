"""Use-case: the activity window from the read model (CalendarView), with the make filter and counts.

UowCalendarView is the read model over any unit of work (the merge of application/calendar.py): the
memory backend serves with it, and it is the reference the Postgres read model is tested against.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from application.calendar import CalendarItem, activity_window, check_window
from application.calendar_bar import CalendarBar
from application.ports import CalendarView, UnitOfWorkFactory
from application.records import Window

_PLANNED = frozenset({"planned", "manual", "requested"})


@dataclass(frozen=True)
class BarWindow:
    """The bars of an activity window and their counts (past, active, planned, total)."""

    bars: list[CalendarBar]
    past: int
    active: int
    planned: int


async def activity_bars(window: Window, *, make: str | None, view: CalendarView) -> BarWindow:
    """The window's bars (only the make's, when one is given, case-insensitive) and their counts."""
    check_window(window.start, window.end)
    bars = await view.bars(window)
    if make:
        wanted = make.strip().lower()
        bars = [b for b in bars if (b.make or "").lower() == wanted]
    statuses = Counter([b.status for b in bars])
    return BarWindow(
        bars,
        past=statuses["completed"],
        active=statuses["active"],
        planned=sum(statuses[s] for s in _PLANNED),
    )


def bar_of(i: CalendarItem) -> CalendarBar:
    """A merged calendar item as a bar."""
    return CalendarBar(
        status=i.status,
        assignment_id=i.assignment_id,
        activity_id=i.activity_id,
        vin=i.vin,
        vehicle_id=i.vehicle_id,
        make=i.make,
        model=i.model,
        start_date=i.start_date,
        end_date=i.end_date,
        person_id=i.person_id,
        partner_name=i.partner_name,
        office=i.office,
        activity_type=i.activity_type,
        fms_state=i.fms_state,
        fms_request_id=i.fms_request_id,
        last_error=i.last_error,
        fms_start_date=i.fms_start_date,
        fms_end_date=i.fms_end_date,
        assignment_start_date=i.assignment_start_date,
        assignment_end_date=i.assignment_end_date,
        dates_differ=i.dates_differ,
    )


class UowCalendarView:
    """The read model merged in Python from the repositories of a unit of work (several queries)."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory

    async def bars(self, window: Window) -> list[CalendarBar]:
        """Loan history, current activities and assignments meeting the window, sorted as shown."""
        result = await activity_window(window, make=None, uow_factory=self._uow_factory)
        return [bar_of(i) for i in result.items]
