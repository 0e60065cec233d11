"""ReferenceData contract: replacing the report tables and reading them back, filtered and ordered."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from application.records import ApprovedMake, Office, Window
from domain.reference import Activity, Partner, Vehicle
from tests.contract.harness import LA, NY, SF, VIN_1, VIN_2, VIN_3, Boom, Harness, fail_after

VIN_GONE = "ZZZ00000000000009"  # a VIN the vehicles report does not know
VEHICLES = [
    Vehicle(
        VIN_2,
        LA,
        fms_vehicle_id=102,
        make="Toyota",
        model="Camry",
        year=2024,
        color="Blue",
        in_service_date=date(2024, 1, 1),
        expected_turn_in_date=date(2025, 12, 31),
    ),
    Vehicle(VIN_1, LA, fms_vehicle_id=101, make="Honda", model="Accord"),
    Vehicle(VIN_3, SF),
]
PARTNERS = [
    Partner(1, LA, "Zoe Zed", address="1 Main St", default_loan_region="West", affiliation="Motor Trend"),
    Partner(1, SF, "Zoe Zed (SF)", activity_type_subcategory_id=7),
    Partner(2, LA, "Ada Lovelace"),
    Partner(3, SF, "Bob Builder"),
]
MAKES = [
    ApprovedMake(1, "Zoe Zed", "Honda", "A+"),
    ApprovedMake(1, "Zoe Zed", "Toyota", "B"),
    ApprovedMake(2, "Ada Lovelace", "Honda", "A"),
    ApprovedMake(3, "Bob Builder", "Ford", "Pending"),
]


def d(day: int) -> date:
    """A day of March 2025."""
    return date(2025, 3, day)


# Current activities as a sync stores them: the office is the vehicle's (None for an unknown VIN).
CURRENT = [
    Activity(
        901, VIN_1, d(3), d(10), person_id=1, activity_type="Media Loan", partner_name="Zoe Zed", office=LA
    ),
    Activity(902, VIN_3, d(1), d(4), person_id=3, activity_type="Media Loan", partner_name="Bob", office=SF),
    Activity(903, VIN_GONE, d(5), d(6), activity_type="Hold"),
    Activity(900, VIN_2, d(3), d(5), person_id=2, office=LA),
]
HISTORY = [
    Activity(
        801, VIN_1, d(1), d(3), person_id=2, partner_name="Ada", office=LA, make="Honda", model="Accord"
    ),
    Activity(802, VIN_3, d(11), d(18), person_id=3, office=SF),
]


class ReferenceDataContract:
    """Every ReferenceData adapter must pass these; subclasses provide the `harness` fixture."""

    @pytest.fixture
    def harness(self) -> Harness:
        """Overridden by each adapter's subclass."""
        raise NotImplementedError

    @pytest.fixture
    async def loaded(self, harness: Harness) -> Harness:
        """The harness with every report loaded."""
        async with harness.uow_factory() as uow:
            ref = uow.reference
            await ref.replace_offices([Office(SF), Office(LA), Office(NY, active=False)])
            await ref.replace_vehicles(VEHICLES)
            await ref.replace_partners(PARTNERS)
            await ref.replace_approved_makes(MAKES)
            await ref.replace_current_activities(CURRENT)
            await ref.replace_loan_history(HISTORY)
        return harness

    async def test_offices_are_the_active_ones_by_name(self, loaded: Harness) -> None:
        async with loaded.uow_factory() as uow:
            assert await uow.reference.offices() == [Office(LA), Office(SF)]

    async def test_vehicles_round_trip_and_filter(self, loaded: Harness) -> None:
        async with loaded.uow_factory() as uow:
            ref = uow.reference
            assert await ref.vehicle(VIN_2) == VEHICLES[0]
            assert await ref.vehicle(VIN_GONE) is None
            assert await ref.vehicles() == sorted(VEHICLES, key=lambda v: v.vin)
            assert [v.vin for v in await ref.vehicles(office=LA)] == [VIN_1, VIN_2]
            assert [v.vin for v in await ref.vehicles(vins=[VIN_3, VIN_1, VIN_GONE])] == [VIN_1, VIN_3]
            assert [v.vin for v in await ref.vehicles(office=SF, vins=[VIN_1, VIN_3])] == [VIN_3]
            assert await ref.vehicles(vins=[]) == []

    async def test_a_partner_is_a_person_in_an_office(self, loaded: Harness) -> None:
        async with loaded.uow_factory() as uow:
            ref = uow.reference
            assert await ref.partner(1, LA) == PARTNERS[0]
            assert await ref.partner(1, SF) == PARTNERS[1]
            assert await ref.partner(1, NY) is None
            assert await ref.partner(3, LA) is None
            assert await ref.partners(office=LA) == [PARTNERS[2], PARTNERS[0]]
            assert await ref.partners(office=NY) == []
            assert sorted(await ref.partners(), key=lambda p: (p.person_id, p.office)) == PARTNERS

    async def test_approved_makes_are_those_of_the_office_partners(self, loaded: Harness) -> None:
        async with loaded.uow_factory() as uow:
            ref = uow.reference
            by_key = sorted(await ref.approved_makes(office=LA), key=lambda m: (m.person_id, m.make))
            assert by_key == MAKES[:3]
            sf = sorted(await ref.approved_makes(office=SF), key=lambda m: (m.person_id, m.make))
            assert sf == [MAKES[0], MAKES[1], MAKES[3]]
            assert await ref.approved_makes(office=NY) == []

    async def current(self, harness: Harness, window: Window) -> list[int]:
        async with harness.uow_factory() as uow:
            return [a.activity_id for a in await uow.reference.current_activities(window)]

    async def test_current_activities_round_trip_in_start_order(self, loaded: Harness) -> None:
        async with loaded.uow_factory() as uow:
            found = await uow.reference.current_activities(Window(d(1), d(31)))
        assert found == sorted(CURRENT, key=lambda a: (a.start_day, a.activity_id))

    async def test_current_activities_meet_the_window_and_filters(self, loaded: Harness) -> None:
        assert await self.current(loaded, Window(d(4), d(4))) == [902, 900, 901]
        assert await self.current(loaded, Window(d(6), d(9))) == [901, 903]
        assert await self.current(loaded, Window(d(11), d(31))) == []
        assert await self.current(loaded, Window(d(1), d(31), vin=VIN_3)) == [902]
        assert await self.current(loaded, Window(d(1), d(31), person_id=2)) == [900]

    async def test_current_activities_take_their_office_from_the_vehicle(self, harness: Harness) -> None:
        unplaced = [replace(a, office=None) for a in CURRENT]
        async with harness.uow_factory() as uow:
            await uow.reference.replace_vehicles(VEHICLES)
            await uow.reference.replace_current_activities(unplaced)
        assert await self.current(harness, Window(d(1), d(31), office=LA)) == [900, 901]
        assert await self.current(harness, Window(d(1), d(31), office=SF)) == [902]
        assert await self.current(harness, Window(d(1), d(31), office=NY)) == []

    async def test_loan_history_round_trips_and_filters(self, loaded: Harness) -> None:
        async with loaded.uow_factory() as uow:
            ref = uow.reference
            assert await ref.loan_history(Window(d(1), d(31))) == HISTORY
            assert await ref.loan_history(Window(d(3), d(11))) == HISTORY
            assert await ref.loan_history(Window(d(4), d(10))) == []
            assert await ref.loan_history(Window(d(1), d(31), office=SF)) == [HISTORY[1]]
            assert await ref.loan_history(Window(d(1), d(31), person_id=2, vin=VIN_1)) == [HISTORY[0]]

    async def test_replace_replaces_everything(self, loaded: Harness) -> None:
        async with loaded.uow_factory() as uow:
            await uow.reference.replace_vehicles([Vehicle(VIN_GONE, NY)])
            await uow.reference.replace_partners([])
            await uow.reference.replace_current_activities([])
        async with loaded.uow_factory() as uow:
            assert await uow.reference.vehicles() == [Vehicle(VIN_GONE, NY)]
            assert await uow.reference.partners() == []
            assert await uow.reference.current_activities(Window(d(1), d(31))) == []
            assert await uow.reference.loan_history(Window(d(1), d(31))) == HISTORY

    async def test_a_failed_replace_keeps_the_old_rows(self, loaded: Harness) -> None:
        with pytest.raises(Boom):
            await fail_after(loaded, lambda uow: uow.reference.replace_vehicles([]))
        async with loaded.uow_factory() as uow:
            assert len(await uow.reference.vehicles()) == len(VEHICLES)
