"""The small, known world the end-to-end tests run in, and helpers to act in it."""

from __future__ import annotations

from datetime import date

from litestar import Litestar
from litestar.testing import AsyncTestClient

from application.ports import UnitOfWorkFactory
from application.records import Office
from domain.reference import Activity, Partner, Vehicle

OFFICE = "Los Angeles"
OTHER_OFFICE = "New York"
VIN_OK = "1HGCM82633A004352"
VIN_NO_FMS = "JH4KA7561PC008269"
VIN_BUSY = "WAUZZZ8K9DA123456"
PARTNER = 3001
Client = AsyncTestClient[Litestar]
PARTNER_NY = 4001
ACTIVITY_ID = 777001


async def seed(factory: UnitOfWorkFactory) -> None:
    """A small, known world: two offices, three vehicles (one without FMS id), partners, one live loan."""
    async with factory() as uow:
        await uow.reference.replace_offices([Office(OFFICE), Office(OTHER_OFFICE)])
        await uow.reference.replace_vehicles(
            [
                Vehicle(vin=VIN_OK, office=OFFICE, fms_vehicle_id=89943, make="Audi", model="Q5"),
                Vehicle(vin=VIN_NO_FMS, office=OFFICE, fms_vehicle_id=None, make="Toyota", model="Camry"),
                Vehicle(vin=VIN_BUSY, office=OFFICE, fms_vehicle_id=89944, make="Audi", model="A4"),
            ]
        )
        await uow.reference.replace_partners(
            [
                Partner(person_id=PARTNER, office=OFFICE, name="Rivera, Alex", affiliation="MotorWeek"),
                Partner(person_id=PARTNER_NY, office=OTHER_OFFICE, name="Chen, Sam"),
            ]
        )
        await uow.reference.replace_current_activities(
            [
                Activity(
                    activity_id=ACTIVITY_ID,
                    vin=VIN_BUSY,
                    start_day=date(2026, 12, 1),
                    end_day=date(2026, 12, 8),
                    person_id=PARTNER,
                    activity_type="Media Loan",
                    partner_name="Rivera, Alex",
                ),
            ]
        )


async def schedule(client: Client, vin: str = VIN_OK, start: str = "2026-12-01", **extra: object) -> int:
    """Create a manual assignment through the API and return its id."""
    body = {"vin": vin, "person_id": PARTNER, "start_day": start, "office": OFFICE, **extra}
    response = await client.post("/api/calendar/schedule-assignment", json=body)
    assert response.status_code == 201, response.text
    assignment_id: int = response.json()["assignment"]["assignment_id"]
    return assignment_id
