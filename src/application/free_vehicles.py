"""Use-case: the vehicles of an office that a new loan over some days would not clash with."""

from __future__ import annotations

from datetime import date

from application.bookings_batch import bookings_in_span
from application.calendar import check_window
from application.ports import UnitOfWorkFactory
from domain.reference import Vehicle
from domain.request_rules import conflicting_bookings
from domain.values import DayRange


async def free_vehicles(
    office: str, start: date, end: date, *, uow_factory: UnitOfWorkFactory
) -> list[Vehicle]:
    """The office's vehicles with no booking overlapping [start, end) (touching ends are a hand-over):
    exactly those a manual assignment over these days would be saved for. Three reads in all, whatever
    the number of vehicles: the office's vehicles, their current FMS activities, their assignments."""
    check_window(start, end)
    days = DayRange(start, end)
    async with uow_factory() as uow:
        vehicles = await uow.reference.vehicles(office=office)
        if not vehicles:
            return []
        bookings = await bookings_in_span(uow, (v.vin for v in vehicles), start, end)
    return [v for v in vehicles if not conflicting_bookings(days, bookings.held(v.vin))]
