"""MemoryReferenceData: offices, vehicles, partners, makes and activities in memory."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from adapters.memory.store import MemoryStore
from application.records import ApprovedMake, Office, Window
from domain.reference import Activity, Partner, Vehicle


def _meets(a: Activity, window: Window, office: str | None) -> bool:
    return (
        a.start_day <= window.end
        and a.end_day >= window.start
        and (window.office is None or office == window.office)
        and (window.vin is None or a.vin == window.vin)
        and (window.person_id is None or a.person_id == window.person_id)
    )


class MemoryReferenceData:
    """Reference tables as lists and dicts."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def offices(self) -> list[Office]:
        """Active offices by name."""
        return sorted((o for o in self._store.tables.offices if o.active), key=lambda o: o.name)

    async def vehicle(self, vin: str) -> Vehicle | None:
        """The vehicle with this VIN."""
        return self._store.tables.vehicles.get(vin)

    async def vehicles(
        self, *, office: str | None = None, vins: Iterable[str] | None = None
    ) -> list[Vehicle]:
        """Vehicles filtered by office and VINs, by VIN."""
        wanted = set(vins) if vins is not None else None
        return sorted(
            (
                v
                for v in self._store.tables.vehicles.values()
                if (office is None or v.office == office) and (wanted is None or v.vin in wanted)
            ),
            key=lambda v: v.vin,
        )

    async def partner(self, person_id: int, office: str) -> Partner | None:
        """A person's partner record in an office."""
        return self._store.tables.partners.get((person_id, office))

    async def partners(self, *, office: str | None = None) -> list[Partner]:
        """Partners of an office, by name."""
        return sorted(
            (p for p in self._store.tables.partners.values() if office is None or p.office == office),
            key=lambda p: (p.name, p.person_id),
        )

    async def partners_of(self, keys: Iterable[tuple[int, str]]) -> list[Partner]:
        """The partner records of these (person_id, office) pairs that exist, by name."""
        rows = self._store.tables.partners
        found = [rows[key] for key in set(keys) if key in rows]
        return sorted(found, key=lambda p: (p.name, p.person_id, p.office))

    async def approved_makes(self, *, office: str) -> list[ApprovedMake]:
        """Approved makes of the office's partners."""
        people = {p.person_id for p in self._store.tables.partners.values() if p.office == office}
        return [m for m in self._store.tables.approved_makes if m.person_id in people]

    async def current_activities(self, window: Window) -> list[Activity]:
        """Current activities meeting the window; office comes from the vehicle."""
        vehicles = self._store.tables.vehicles
        out = []
        for a in self._store.tables.current_activities:
            vehicle = vehicles.get(a.vin)
            office = vehicle.office if vehicle else a.office
            if _meets(a, window, office):
                out.append(a)
        return sorted(out, key=lambda a: (a.start_day, a.activity_id))

    async def activities_of_vehicles(self, vins: Iterable[str], start: date, end: date) -> list[Activity]:
        """Current activities of these vehicles meeting [start, end], by start."""
        wanted = set(vins)
        vehicles = self._store.tables.vehicles
        found = [
            replace(a, office=vehicles[a.vin].office if a.vin in vehicles else None)
            for a in self._store.tables.current_activities
            if a.vin in wanted and a.start_day <= end and a.end_day >= start
        ]
        return sorted(found, key=lambda a: (a.start_day, a.activity_id))

    async def loan_history(self, window: Window) -> list[Activity]:
        """Past loans meeting the window."""
        return sorted(
            (a for a in self._store.tables.loan_history if _meets(a, window, a.office)),
            key=lambda a: (a.start_day, a.activity_id),
        )

    async def replace_offices(self, offices: Sequence[Office]) -> None:
        """Replace all offices."""
        self._store.tables.offices = list(offices)

    async def replace_vehicles(self, vehicles: Sequence[Vehicle]) -> None:
        """Replace all vehicles."""
        self._store.tables.vehicles = {v.vin: v for v in vehicles}

    async def replace_partners(self, partners: Sequence[Partner]) -> None:
        """Replace all partners."""
        self._store.tables.partners = {(p.person_id, p.office): p for p in partners}

    async def replace_approved_makes(self, makes: Sequence[ApprovedMake]) -> None:
        """Replace all approved makes."""
        self._store.tables.approved_makes = list(makes)

    async def replace_current_activities(self, activities: Sequence[Activity]) -> None:
        """Replace the current activities."""
        self._store.tables.current_activities = list(activities)

    async def replace_loan_history(self, activities: Sequence[Activity]) -> None:
        """Replace the loan history."""
        self._store.tables.loan_history = list(activities)
