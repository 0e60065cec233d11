"""Demo data for a first run: two offices, vehicles, partners, history, live loans and assignments."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from application.ports import UnitOfWorkFactory
from application.records import ApprovedMake, Office
from domain.assignment import Assignment
from domain.reference import Activity, Partner, Vehicle
from domain.values import Status
from fms_simulator.world import World

OFFICES = ("Los Angeles", "New York")
MAKES = {
    "Audi": ("A4", "Q5", "e-tron GT"),
    "Toyota": ("Camry", "RAV4", "GR86"),
    "Volkswagen": ("ID.4", "Golf GTI", "Atlas"),
    "Hyundai": ("Ioniq 5", "Tucson", "Santa Fe"),
}
RANKS = ("A+", "A", "B", "C", "Pending")


SANDBOX_WORLD_SEED = 1  # the built-in FMS simulator's fleet (entrypoints.wiring.fms): same VINs and ids


def _reference(rng: random.Random) -> tuple[list[Vehicle], list[Partner], list[ApprovedMake]]:
    """Vehicles and partners of two offices taken from the sandbox FMS's own fleet, so that a sync from
    the sandbox's reports keeps them (same VINs, FMS ids and person ids); approved makes made up."""
    world = World(seed=SANDBOX_WORLD_SEED)
    wanted = [i for i in range(world.vehicle_count) if world.vehicle(i).office in OFFICES]
    chosen = wanted[:24] + [i for i in wanted[24:] if world.vehicle(i).vehicle_id is None][:2]
    vehicles = [
        Vehicle(
            vin=v.vin,
            office=v.office,
            fms_vehicle_id=v.vehicle_id,
            make=v.make,
            model=v.model,
            year=v.year,
            color=v.color,
            in_service_date=date(v.year - 1, 1 + v.index % 12, 1),
            expected_turn_in_date=date(v.year + 1, 1 + v.index % 12, 1),
        )
        for v in map(world.vehicle, chosen)
    ]
    partners: list[Partner] = []
    for office in OFFICES:
        rows = [p for p in map(world.partner, range(world.partner_count)) if p.office == office][:8]
        partners += [
            Partner(
                person_id=p.person_id,
                office=p.office,
                name=p.name,
                address=p.address,
                default_loan_region=p.office,
                affiliation=p.affiliation,
                activity_type_subcategory_id=p.subcategory_id,
            )
            for p in rows
        ]
    makes = [
        ApprovedMake(person_id=p.person_id, name=p.name, make=make, rank=rng.choice(RANKS))
        for p in partners
        for make in rng.sample(sorted(MAKES), 3)
    ]
    return vehicles, partners, makes


def _activities(
    rng: random.Random, vehicles: list[Vehicle], partners: list[Partner], today: date
) -> tuple[list[Activity], list[Activity], dict[str, date]]:
    """Loan history ending before today, one current loan for some vehicles; when each vehicle is free."""
    history: list[Activity] = []
    current: list[Activity] = []
    free_from: dict[str, date] = {}
    activity_id = 700000
    for v in vehicles:
        office_partners = [p for p in partners if p.office == v.office]
        day = today - timedelta(days=42)
        while day + timedelta(days=7) <= today - timedelta(days=2):
            activity_id += 1
            p = rng.choice(office_partners)
            loan = _week_loan(activity_id, v, p, day)
            history.append(replace(loan, make=v.make, model=v.model))  # the history report names them
            day += timedelta(days=7 + rng.randint(0, 3))
        if rng.random() < 0.4:
            activity_id += 1
            p = rng.choice(office_partners)
            start = today - timedelta(days=rng.randint(0, 3))
            current.append(_week_loan(activity_id, v, p, start))
            day = start + timedelta(days=7)
        free_from[v.vin] = max(day, today)
    return history, current, free_from


def _week_loan(activity_id: int, v: Vehicle, p: Partner, start: date) -> Activity:
    """A week's media loan of the vehicle to the partner."""
    return Activity(
        activity_id=activity_id,
        vin=v.vin,
        start_day=start,
        end_day=start + timedelta(days=7),
        person_id=p.person_id,
        activity_type="Media Loan",
        partner_name=p.name,
        office=v.office,
    )


def _assignments(
    rng: random.Random, vehicles: list[Vehicle], partners: list[Partner], free_from: dict[str, date]
) -> list[Assignment]:
    out: list[Assignment] = []
    for v in vehicles:
        office_partners = [p for p in partners if p.office == v.office]
        day = free_from[v.vin]
        for week in range(3):
            p = rng.choice(office_partners)
            status = Status.MANUAL if (week == 1 and rng.random() < 0.5) else Status.PLANNED
            out.append(
                Assignment(
                    vin=v.vin,
                    person_id=p.person_id,
                    office=v.office,
                    start_day=day,
                    end_day=day + timedelta(days=7),
                    status=status,
                    partner_name=p.name,
                    make=v.make,
                    model=v.model,
                    score=round(rng.uniform(50, 100), 1),
                    created_by="demo-data",
                )
            )
            day += timedelta(days=7 + rng.randint(0, 2))
    return out


async def load_demo_data(uow_factory: UnitOfWorkFactory, today: date) -> bool:
    """Load the demo data when the database has no offices yet; True when it was loaded."""
    rng = random.Random(20261124)
    vehicles, partners, makes = _reference(rng)
    history, current, free_from = _activities(rng, vehicles, partners, today)
    async with uow_factory() as uow:
        if await uow.reference.offices():
            return False
        await uow.reference.replace_offices([Office(name) for name in OFFICES])
        await uow.reference.replace_vehicles(vehicles)
        await uow.reference.replace_partners(partners)
        await uow.reference.replace_approved_makes(makes)
        await uow.reference.replace_loan_history(history)
        await uow.reference.replace_current_activities(current)
        for a in _assignments(rng, vehicles, partners, free_from):
            await uow.assignments.add(a)
    return True
