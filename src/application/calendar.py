"""Use-cases: the calendar's reads (activity window, vehicles, partners, tiers, busy periods)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from application.bookings import ALL_DAYS
from application.errors import InvalidInput
from application.ports import UnitOfWorkFactory
from application.records import Window
from domain.assignment import Assignment
from domain.loan_dates import window_days
from domain.reference import Activity, Vehicle
from domain.values import Status


@dataclass(frozen=True)
class CalendarItem:
    """One bar on the calendar: a completed loan, a current activity, or an assignment."""

    status: str
    vin: str
    start_date: date
    end_date: date
    assignment_id: int | None = None
    activity_id: int | None = None
    vehicle_id: int | None = None
    make: str | None = None
    model: str | None = None
    person_id: int | None = None
    partner_name: str | None = None
    office: str | None = None
    activity_type: str | None = None
    fms_state: str = "none"
    fms_request_id: int | None = None
    last_error: str | None = None
    fms_start_date: date | None = None  # the FMS activity's days in the latest report, when one is involved
    fms_end_date: date | None = None
    assignment_start_date: date | None = None  # an assignment's own days
    assignment_end_date: date | None = None
    dates_differ: bool = False  # an assignment holds an activity whose days FMS changed

    @property
    def booked_start_date(self) -> date:
        """The first day the item books its vehicle (FMS's days and the assignment's own, the earlier)."""
        return min(self.start_date, self.assignment_start_date or self.start_date)

    @property
    def booked_end_date(self) -> date:
        """The last day the item books its vehicle (as domain.bookings.held_booking counts it)."""
        return max(self.end_date, self.assignment_end_date or self.end_date)


@dataclass(frozen=True)
class CalendarWindow:
    """The activity window with its counts."""

    items: list[CalendarItem]
    counts: dict[str, int]


def check_window(start: date, end: date) -> None:
    """A window lies inside the dates FMS can carry (domain/loan_dates.py) and does not end before it
    starts."""
    window_days(start, end)
    if end < start:
        raise InvalidInput(f"end_date {end.isoformat()} is before start_date {start.isoformat()}")


def _from_activity(a: Activity, status: Status, vehicle: Vehicle | None) -> CalendarItem:
    return CalendarItem(
        status=status.value,
        vin=a.vin,
        start_date=a.start_day,
        end_date=a.end_day,
        activity_id=a.activity_id,
        vehicle_id=vehicle.fms_vehicle_id if vehicle else None,
        make=a.make or (vehicle.make if vehicle else None),
        model=a.model or (vehicle.model if vehicle else None),
        person_id=a.person_id,
        partner_name=a.partner_name,
        office=a.office or (vehicle.office if vehicle else None),
        activity_type=a.activity_type,
        fms_start_date=a.start_day,
        fms_end_date=a.end_day,
    )


def _from_assignment(a: Assignment, vehicle: Vehicle | None, held: Activity | None) -> CalendarItem:
    """An assignment's bar; one holding an FMS activity shows the days FMS holds, its own beside them."""
    start, end = (held.start_day, held.end_day) if held else (a.start_day, a.end_day)
    return CalendarItem(
        status=a.status.value,
        vin=a.vin,
        start_date=start,
        end_date=end,
        assignment_id=a.assignment_id,
        activity_id=a.activity_id,
        vehicle_id=vehicle.fms_vehicle_id if vehicle else None,
        make=a.make or (vehicle.make if vehicle else None),
        model=a.model or (vehicle.model if vehicle else None),
        person_id=a.person_id,
        partner_name=a.partner_name,
        office=a.office,
        activity_type="Media Loan",
        fms_state=a.fms_state.value,
        fms_request_id=a.fms_request_id,
        last_error=a.last_error,
        fms_start_date=held.start_day if held else None,
        fms_end_date=held.end_day if held else None,
        assignment_start_date=a.start_day,
        assignment_end_date=a.end_day,
        dates_differ=(start, end) != (a.start_day, a.end_day),
    )


def _held_activity(
    a: Assignment, current: dict[int, Activity], history: dict[int, Activity]
) -> Activity | None:
    """The FMS activity an assignment holds: a completed loan's final row first, else the current one."""
    if a.activity_id is None:
        return None
    first, then = (history, current) if a.status is Status.COMPLETED else (current, history)
    return first.get(a.activity_id) or then.get(a.activity_id)


def _counts(items: list[CalendarItem]) -> dict[str, int]:
    by_status = Counter(i.status for i in items)
    return {
        "past": by_status["completed"],
        "active": by_status["active"],
        "planned": by_status["planned"] + by_status["manual"] + by_status["requested"],
        "total": len(items),
    }


async def activity_window(
    window: Window,
    *,
    make: str | None,
    uow_factory: UnitOfWorkFactory,
) -> CalendarWindow:
    """Merge loan history, current activity and assignments meeting the window (no row caps)."""
    check_window(window.start, window.end)
    async with uow_factory() as uow:
        current = {x.activity_id: x for x in await uow.reference.current_activities(window)}
        history = {x.activity_id: x for x in await uow.reference.loan_history(window)}
        # Assignments whose held activity meets the window are shown even when their own days do not.
        seen = current.keys() | history.keys()
        assignments = await uow.assignments.in_window(window, holding=seen)
        moved = {a.vin for a in assignments if a.activity_id is not None and a.activity_id not in seen}
        if moved:  # FMS moved a held loan out of the window: read where it is now (one query)
            elsewhere = await uow.reference.activities_of_vehicles(moved, *ALL_DAYS)
            current |= {x.activity_id: x for x in elsewhere if x.activity_id not in current}
        vins = (
            {a.vin for a in assignments}
            | {x.vin for x in current.values()}
            | {x.vin for x in history.values()}
        )
        vehicles = {v.vin: v for v in await uow.reference.vehicles(vins=vins)} if vins else {}
    claimed = {a.activity_id for a in assignments if a.activity_id is not None}
    items = [
        _from_activity(x, status, vehicles.get(x.vin))
        for status, found in ((Status.COMPLETED, history), (Status.ACTIVE, current))
        for x in found.values()
        if x.activity_id not in claimed and x.start_day <= window.end and x.end_day >= window.start
    ]
    items += [
        _from_assignment(a, vehicles.get(a.vin), _held_activity(a, current, history)) for a in assignments
    ]
    if make:
        wanted = make.strip().lower()
        items = [i for i in items if (i.make or "").lower() == wanted]
    items.sort(key=lambda i: (i.start_date, i.vin, i.assignment_id or 0, i.activity_id or 0))
    return CalendarWindow(items, _counts(items))


async def vehicle_busy_periods(
    vin: str,
    start: date,
    end: date,
    *,
    uow_factory: UnitOfWorkFactory,
) -> list[CalendarItem]:
    """Everything that holds one vehicle in the window: assignments and FMS activities, any office."""
    vin = vin.strip().upper()
    window = Window(start=start, end=end, vin=vin)
    result = await activity_window(window, make=None, uow_factory=uow_factory)
    return result.items
