"""A seeded world for use-case tests: memory adapters, reference data, and short-hand use-case calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from adapters.memory.clock import FixedClock
from adapters.memory.fms_gateway import MemoryFmsGateway
from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from application.change_status import StatusChange, change_status
from application.fms_delete import FmsDeleteResult, delete_assignment, unrequest_assignment
from application.protocol.holds import Holder
from application.protocol.ports import ProtocolPorts
from application.records import Actor, FmsOperation, Office, RequestSettings, Window
from application.request import RequestResult, request_assignment
from domain.assignment import Assignment
from domain.reference import Activity, Partner, Vehicle
from domain.values import Status
from tests.holder_support import new_holder

LA, CHICAGO = "Los Angeles", "Chicago"
VIN_A = "1HGCM82633A000001"  # LA, FMS id 101, Honda Accord
VIN_B = "4T1BF1FK5CU000002"  # LA, FMS id 102, Toyota Camry; out on FMS activity 900
VIN_NO_FMS = "JM3KFBCM0L0000003"  # LA, no FMS vehicle_id: cannot be requested
VIN_CHI = "1FA6P8TH0J5000004"  # Chicago, FMS id 201, Ford Mustang
ADA, BOB, CARL = 10, 11, 20  # Ada and Bob in LA, Carl in Chicago
REQUESTOR, DEFAULT_REQUESTOR = 900, 1
MONDAY = date(2025, 6, 2)
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)

VEHICLES = [
    Vehicle(VIN_A, LA, fms_vehicle_id=101, make="Honda", model="Accord"),
    Vehicle(VIN_B, LA, fms_vehicle_id=102, make="Toyota", model="Camry"),
    Vehicle(VIN_NO_FMS, LA, fms_vehicle_id=None, make="Mazda", model="CX-5"),
    Vehicle(VIN_CHI, CHICAGO, fms_vehicle_id=201, make="Ford", model="Mustang"),
]
PARTNERS = [
    Partner(ADA, LA, "Ada Lovelace", affiliation="Car & Driver", activity_type_subcategory_id=7),
    Partner(BOB, LA, "Bob Builder"),
    Partner(CARL, CHICAGO, "Carl Sagan"),
]
ACTIVITY_B = Activity(
    900, VIN_B, date(2025, 6, 4), date(2025, 6, 11), person_id=BOB, partner_name="Bob Builder"
)
HISTORY_A = Activity(800, VIN_A, date(2025, 5, 19), date(2025, 5, 26), person_id=ADA, office=LA)


def day(offset: int) -> date:
    """MONDAY plus offset days."""
    return MONDAY + timedelta(days=offset)


@dataclass
class World:
    """The memory adapters behind every use-case, with helpers to arrange and inspect state."""

    uow_factory: MemoryUnitOfWorkFactory = field(default_factory=MemoryUnitOfWorkFactory)
    fms: MemoryFmsGateway = field(default_factory=MemoryFmsGateway)
    clock: FixedClock = field(default_factory=lambda: FixedClock(NOW))
    settings: RequestSettings = field(default_factory=lambda: RequestSettings(DEFAULT_REQUESTOR))
    actor: Actor = field(default_factory=lambda: Actor("alice", fms_user_id=REQUESTOR))
    holder: Holder = field(default_factory=new_holder)

    @property
    def ports(self) -> ProtocolPorts:
        """The FMS protocol's ports over these adapters."""
        return ProtocolPorts(self.uow_factory, self.fms, self.clock, self.holder)

    async def seed(self) -> World:
        """Load the reference data: two offices, four vehicles, three partners, one activity."""
        async with self.uow_factory() as uow:
            await uow.reference.replace_offices([Office(LA), Office(CHICAGO)])
            await uow.reference.replace_vehicles(VEHICLES)
            await uow.reference.replace_partners(PARTNERS)
            await uow.reference.replace_current_activities([ACTIVITY_B])
            await uow.reference.replace_loan_history([HISTORY_A])
        return self

    async def set_activities(self, *activities: Activity) -> None:
        """Replace the current-activity report."""
        async with self.uow_factory() as uow:
            await uow.reference.replace_current_activities(activities)

    async def add(
        self,
        vin: str = VIN_A,
        *,
        start: date = MONDAY,
        days: int = 7,
        status: Status = Status.PLANNED,
        person_id: int = ADA,
        office: str = LA,
        **extra: Any,
    ) -> int:
        """Store an assignment as-is (a backdoor: no rules checked); return its id."""
        a = Assignment(vin, person_id, office, start, start + timedelta(days=days), status, **extra)
        async with self.uow_factory() as uow:
            await uow.assignments.add(a)
        assert a.assignment_id is not None
        return a.assignment_id

    async def add_requested(self, vin: str = VIN_A, **kwargs: Any) -> int:
        """An assignment requested through the use-case (FMS holds its request)."""
        assignment_id = await self.add(vin, **kwargs)
        await self.request(assignment_id)
        return assignment_id

    async def get(self, assignment_id: int) -> Assignment:
        """The stored assignment, removed ones too."""
        async with self.uow_factory() as uow:
            found = await uow.assignments.get(assignment_id)
        assert found is not None
        return found

    async def ops(self, assignment_id: int) -> list[FmsOperation]:
        """The audit rows of one assignment, oldest first."""
        async with self.uow_factory() as uow:
            return await uow.operations.for_assignment(assignment_id)

    async def live(self, start: date = date(2000, 1, 1), end: date = date(2100, 1, 1)) -> list[Assignment]:
        """Every live assignment, by id."""
        async with self.uow_factory() as uow:
            return await uow.assignments.in_window(Window(start=start, end=end))

    async def request(self, assignment_id: int, actor: Actor | None = None) -> RequestResult:
        """Run the Request use-case."""
        return await request_assignment(
            assignment_id,
            actor=actor or self.actor,
            ports=self.ports,
            settings=self.settings,
        )

    async def unrequest(self, assignment_id: int, target: Status | None = None) -> FmsDeleteResult:
        """Run the Unrequest use-case."""
        return await unrequest_assignment(
            assignment_id,
            target_status=target,
            actor=self.actor,
            ports=self.ports,
        )

    async def delete(self, assignment_id: int) -> FmsDeleteResult:
        """Run the Delete use-case."""
        return await delete_assignment(
            assignment_id,
            actor=self.actor,
            ports=self.ports,
        )

    async def change(self, assignment_id: int, new_status: Status) -> StatusChange:
        """Run the status-change use-case."""
        return await change_status(
            assignment_id,
            new_status,
            actor=self.actor,
            ports=self.ports,
            settings=self.settings,
        )
