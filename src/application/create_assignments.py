"""Use-cases that create assignments: one manual booking, chains, and a week's planned schedule.

Each is all or nothing: the vehicles involved are locked, every slot is checked against existing
bookings (assignments and FMS activities) and against the other slots, and only then inserted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from application.chain_conflicts import ensure_slots_free
from application.errors import ChainTooLarge, InvalidInput
from application.ports import UnitOfWork, UnitOfWorkFactory
from application.records import Actor, BookingLimits
from domain.assignment import Assignment
from domain.errors import Booking, InvalidDates, RequestRuleViolation
from domain.loan_dates import fms_day, loan_days
from domain.request_rules import check_booking_office
from domain.values import DayRange, Status

DEFAULT_LIMITS = BookingLimits()


@dataclass(frozen=True)
class Slot:
    """One assignment to create."""

    vin: str
    person_id: int
    start_day: date
    end_day: date
    office: str
    partner_name: str | None = None
    make: str | None = None
    model: str | None = None
    score: float | None = None


def _booking_of(slot: Slot, index: int) -> Booking:
    return Booking(
        vin=slot.vin,
        start_day=slot.start_day,
        end_day=slot.end_day,
        holder=f"slot {index + 1} of this save ({slot.partner_name or slot.person_id})",
        person_id=slot.person_id,
        status="new",
    )


def check_size(count: int, limits: BookingLimits) -> None:
    """ChainTooLarge when one save holds more slots than limits.max_slots (checked before any work)."""
    if count > limits.max_slots:
        raise ChainTooLarge(count, limits.max_slots)


def _check_days(slots: Sequence[Slot], limits: BookingLimits) -> None:
    """Every slot's days inside the FMS date window, in order, and not longer than a loan may be."""
    for i, slot in enumerate(slots):
        try:
            loan_days(slot.start_day, slot.end_day, max_days=limits.loan_max_days)
        except InvalidDates as exc:
            raise InvalidInput(f"slot {i + 1} ({slot.vin.strip().upper()}): {exc}") from exc


async def _validated(uow: UnitOfWork, slots: Sequence[Slot]) -> list[Slot]:
    """Normalise and check slots against the reference data (read once for all slots): a known vehicle,
    and the vehicle and partner of the slot's office (the domain's rule); raise InvalidInput naming the
    slot and the problem. Their days have been checked already (_check_days)."""
    vins = [slot.vin.strip().upper() for slot in slots]
    vehicles = {v.vin: v for v in await uow.reference.vehicles(vins=set(vins))}
    partners = {
        (p.person_id, p.office): p
        for p in await uow.reference.partners_of({(slot.person_id, slot.office) for slot in slots})
    }
    out: list[Slot] = []
    for i, (slot, vin) in enumerate(zip(slots, vins, strict=True)):
        if not vin:
            raise InvalidInput(f"slot {i + 1}: vin is empty")
        vehicle = vehicles.get(vin)
        if vehicle is None:
            raise InvalidInput(f"slot {i + 1}: unknown vehicle VIN {vin}; re-sync vehicles if it is new")
        try:
            partner = check_booking_office(
                slot.office,
                vin=vin,
                vehicle=vehicle,
                person_id=slot.person_id,
                partner=partners.get((slot.person_id, slot.office)),
            )
        except RequestRuleViolation as exc:
            raise InvalidInput(f"slot {i + 1}: {exc}") from exc
        out.append(
            replace(
                slot,
                vin=vin,
                partner_name=slot.partner_name or partner.name,
                make=slot.make or vehicle.make,
                model=slot.model or vehicle.model,
            )
        )
    return out


def slot_days(slot: Slot) -> DayRange:
    """The days a slot would hold its vehicle."""
    return DayRange(slot.start_day, slot.end_day)


async def save_slots(
    slots: Sequence[Slot],
    *,
    status: Status,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    replace_planned_week: tuple[str, date] | None = None,
    limits: BookingLimits = DEFAULT_LIMITS,
) -> list[Assignment]:
    """Insert all slots as one transaction, or none of them (409 on any overlap).

    More than limits.max_slots slots is ChainTooLarge; days outside the FMS window or a loan longer
    than limits.loan_max_days is InvalidInput naming the slot.
    """
    saved, _ = await _save(
        slots,
        status=status,
        actor=actor,
        uow_factory=uow_factory,
        replace_planned_week=replace_planned_week,
        limits=limits,
    )
    return saved


async def save_week_schedule(
    office: str,
    week_start: date,
    slots: Sequence[Slot],
    *,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    limits: BookingLimits = DEFAULT_LIMITS,
) -> tuple[list[Assignment], int]:
    """Replace the office's planned assignments starting that week; return (saved, replaced count)."""
    fms_day(week_start, "week_start")
    if any(s.office != office for s in slots):
        raise InvalidInput("every assignment of a schedule belongs to its office")
    return await _save(
        slots,
        status=Status.PLANNED,
        actor=actor,
        uow_factory=uow_factory,
        replace_planned_week=(office, week_start),
        limits=limits,
    )


async def _save(
    slots: Sequence[Slot],
    *,
    status: Status,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    replace_planned_week: tuple[str, date] | None,
    limits: BookingLimits,
) -> tuple[list[Assignment], int]:
    check_size(len(slots), limits)
    if not status.is_green:
        raise InvalidInput(f"new assignments are saved as planned or manual, not {status}")
    if not slots and replace_planned_week is None:
        raise InvalidInput("nothing to save: the chain is empty")
    _check_days(slots, limits)
    replaced = 0
    async with uow_factory() as uow:
        checked = await _validated(uow, slots)
        await uow.assignments.lock_vehicles(sorted({s.vin for s in checked}))
        if replace_planned_week is not None:
            office, week_start = replace_planned_week
            replaced = await uow.assignments.remove_planned(
                office, week_start, week_start + timedelta(days=7)
            )
        await ensure_slots_free(uow, [_booking_of(s, i) for i, s in enumerate(checked)])
        saved = []
        for slot in checked:
            saved.append(
                await uow.assignments.add(
                    Assignment(
                        vin=slot.vin,
                        person_id=slot.person_id,
                        office=slot.office,
                        start_day=slot.start_day,
                        end_day=slot.end_day,
                        status=status,
                        partner_name=slot.partner_name,
                        make=slot.make,
                        model=slot.model,
                        score=slot.score,
                        created_by=actor.name,
                    )
                )
            )
        return saved, replaced
