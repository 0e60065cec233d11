"""The overlap check of a save: every new booking against what holds its vehicle, and against each other.

Two queries read the bookings of every vehicle of the save over the span of all its days; the domain
sweep (domain/overlaps.py) then finds the clashes in O(n log n), however many slots and clashes there are.
"""

from __future__ import annotations

from collections.abc import Sequence

from application.bookings_batch import bookings_in_span
from application.ports import UnitOfWork
from domain.errors import Booking, BookingConflict
from domain.overlaps import find_clashes


async def ensure_slots_free(uow: UnitOfWork, new: Sequence[Booking]) -> None:
    """Raise BookingConflict (first clashes listed, all counted) when any new booking overlaps
    a booking of its vehicle or an earlier new booking; touching ends are hand-overs, allowed."""
    if not new:
        return
    vins = {b.vin for b in new}
    start = min(b.start_day for b in new)
    end = max(b.end_day for b in new)
    held = await bookings_in_span(uow, vins, start, end)
    existing = [booking for vin in sorted(vins) for booking in held.held(vin)]
    report = find_clashes(new, existing)
    if report.total:
        raise BookingConflict([clash.other for clash in report.listed], total=report.total)
