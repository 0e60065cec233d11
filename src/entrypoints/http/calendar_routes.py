"""Routes: calendar reads."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Annotated

from litestar import Router, get
from litestar.params import FromQuery, QueryParameter

from application.calendar import CalendarItem, check_window, vehicle_busy_periods
from application.calendar_view import activity_bars
from application.records import Window
from entrypoints.http.calendar_schemas import (
    ActivityResponse,
    BusyPeriodOut,
    BusyPeriodsResponse,
    Counts,
    OfficeOut,
    PartnerOut,
    PartnersResponse,
    TiersResponse,
    VehicleOut,
    VehiclesResponse,
)
from entrypoints.http.dependencies import CalendarViewDep, UowDep
from entrypoints.http.openapi_errors import READ_ERRORS, error_responses

Office = Annotated[
    str, QueryParameter(min_length=1, max_length=200, description="office name (%20 or + for spaces)")
]


@get("/api/offices")
async def offices(uow_factory: UowDep) -> list[OfficeOut]:
    """Active offices."""
    async with uow_factory() as uow:
        return [OfficeOut(name=o.name, active=o.active) for o in await uow.reference.offices()]


@get("/api/calendar/vehicles", responses=error_responses(400))
async def vehicles(office: Office, uow_factory: UowDep) -> VehiclesResponse:
    """Vehicles of an office."""
    async with uow_factory() as uow:
        rows = await uow.reference.vehicles(office=office)
    out = [
        VehicleOut(
            vehicle_id=v.fms_vehicle_id,
            vin=v.vin,
            make=v.make,
            model=v.model,
            color=v.color,
            office=v.office,
            in_service_date=v.in_service_date,
            expected_turn_in_date=v.expected_turn_in_date,
            year=v.year,
        )
        for v in rows
    ]
    return VehiclesResponse(office=office, vehicles=out, count=len(out))


@get("/api/calendar/media-partners", responses=error_responses(400))
async def media_partners(office: Office, uow_factory: UowDep) -> PartnersResponse:
    """Media partners of an office."""
    async with uow_factory() as uow:
        rows = await uow.reference.partners(office=office)
    out = [
        PartnerOut(
            person_id=p.person_id,
            name=p.name,
            office=p.office,
            address=p.address,
            default_loan_region=p.default_loan_region,
            affiliation=p.affiliation,
        )
        for p in rows
    ]
    return PartnersResponse(office=office, partners=out, count=len(out))


@get("/api/calendar/partner-tiers", responses=error_responses(400))
async def partner_tiers(office: Office, uow_factory: UowDep) -> TiersResponse:
    """Approved makes and ranks of the office's partners."""
    async with uow_factory() as uow:
        makes = await uow.reference.approved_makes(office=office)
    tiers: dict[str, dict[str, str]] = defaultdict(dict)
    for m in makes:
        tiers[str(m.person_id)][m.make] = m.rank
    return TiersResponse(office=office, tiers=dict(tiers))


def _busy_period_out(i: CalendarItem) -> BusyPeriodOut:
    return BusyPeriodOut(
        assignment_id=i.assignment_id,
        activity_id=i.activity_id,
        start_date=i.booked_start_date,
        end_date=i.booked_end_date,
        partner_name=i.partner_name,
        person_id=i.person_id,
        status=i.status,
        fms_start_date=i.fms_start_date,
        fms_end_date=i.fms_end_date,
        assignment_start_date=i.assignment_start_date,
        assignment_end_date=i.assignment_end_date,
        dates_differ=i.dates_differ,
    )


@get("/api/calendar/activity", responses=error_responses(*READ_ERRORS))
async def activity(
    office: Office,
    start_date: FromQuery[date],
    end_date: FromQuery[date],
    calendar_view: CalendarViewDep,
    vin: FromQuery[str | None] = None,
    make: FromQuery[str | None] = None,
    person_id: Annotated[int | None, QueryParameter(ge=1, le=2_147_483_647)] = None,
) -> ActivityResponse:
    """Loan history, current activity and assignments of an office in a window (every row, no caps)."""
    window = Window(
        start=start_date,
        end=end_date,
        office=office,
        vin=vin.strip().upper() if vin else None,
        person_id=person_id,
    )
    found = await activity_bars(window, make=make, view=calendar_view)
    return ActivityResponse(
        office=office,
        start_date=start_date,
        end_date=end_date,
        activities=found.bars,
        counts=Counts(past=found.past, active=found.active, planned=found.planned, total=len(found.bars)),
    )


@get("/api/chain-builder/vehicle-busy-periods", responses=error_responses(*READ_ERRORS))
async def busy_periods(
    vin: Annotated[str, QueryParameter(min_length=1, max_length=64)],
    start_date: FromQuery[date],
    end_date: FromQuery[date],
    uow_factory: UowDep,
) -> BusyPeriodsResponse:
    """Everything that holds the vehicle in the window."""
    check_window(start_date, end_date)
    items = await vehicle_busy_periods(vin, start_date, end_date, uow_factory=uow_factory)
    periods = [_busy_period_out(i) for i in items]
    return BusyPeriodsResponse(vin=vin.strip().upper(), busy_periods=periods, total_periods=len(periods))


calendar_router = Router(
    path="/",
    route_handlers=[offices, vehicles, media_partners, partner_tiers, activity, busy_periods],
    tags=["Calendar reads"],
)
