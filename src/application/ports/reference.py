"""The reference data the nightly reports load, and what the sync's reconciliation reads and writes."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Protocol

from application.records import (
    ApprovedMake,
    AssignmentEvent,
    Office,
    Window,
)
from domain.assignment import Assignment
from domain.reference import Activity, Partner, Vehicle


class ReferenceData(Protocol):
    """Read models of the FMS reports (vehicles, partners, makes, activities) and offices."""

    async def offices(self) -> list[Office]:
        """Active offices, by name."""
        ...

    async def vehicle(self, vin: str) -> Vehicle | None:
        """The vehicle with this VIN."""
        ...

    async def vehicles(
        self, *, office: str | None = None, vins: Iterable[str] | None = None
    ) -> list[Vehicle]:
        """Vehicles of an office and/or with these VINs, by VIN."""
        ...

    async def partner(self, person_id: int, office: str) -> Partner | None:
        """The partner record of a person in an office."""
        ...

    async def partners(self, *, office: str | None = None) -> list[Partner]:
        """Partners of an office (all when None), by name."""
        ...

    async def partners_of(self, keys: Iterable[tuple[int, str]]) -> list[Partner]:
        """The partner records of these (person_id, office) pairs that exist, by name."""
        ...

    async def approved_makes(self, *, office: str) -> list[ApprovedMake]:
        """Approved makes of the office's partners."""
        ...

    async def current_activities(self, window: Window) -> list[Activity]:
        """Current FMS activities meeting the window (office resolved through the vehicle)."""
        ...

    async def activities_of_vehicles(self, vins: Iterable[str], start: date, end: date) -> list[Activity]:
        """Current FMS activities of these vehicles meeting [start, end], by start."""
        ...

    async def loan_history(self, window: Window) -> list[Activity]:
        """Past loans meeting the window."""
        ...

    async def replace_offices(self, offices: Sequence[Office]) -> None:
        """Replace all offices."""
        ...

    async def replace_vehicles(self, vehicles: Sequence[Vehicle]) -> None:
        """Replace all vehicles."""
        ...

    async def replace_partners(self, partners: Sequence[Partner]) -> None:
        """Replace all partners."""
        ...

    async def replace_approved_makes(self, makes: Sequence[ApprovedMake]) -> None:
        """Replace all approved makes."""
        ...

    async def replace_current_activities(self, activities: Sequence[Activity]) -> None:
        """Replace the current-activity report."""
        ...

    async def replace_loan_history(self, activities: Sequence[Activity]) -> None:
        """Replace the loan history."""
        ...


class ReconciliationRepo(Protocol):
    """What reconciliation reads and writes inside one unit of work."""

    async def awaiting_activity(self) -> list[Assignment]:
        """Live assignments FMS may have approved (requested, or with a create pending), locked, by id."""
        ...

    async def active(self) -> list[Assignment]:
        """Live active assignments, locked, by id."""
        ...

    async def current_activities_of(self, vins: Collection[str]) -> list[Activity]:
        """Current activities of these vehicles."""
        ...

    async def claimed_activity_ids(self, activity_ids: Collection[int]) -> set[int]:
        """Those of the activity ids some assignment already holds."""
        ...

    async def in_loan_history(self, activity_ids: Collection[int]) -> set[int]:
        """Those of the activity ids the loan history has."""
        ...

    async def in_current_activity(self, activity_ids: Collection[int]) -> set[int]:
        """Those of the activity ids the current-activity report has."""
        ...

    async def record_event(self, event: AssignmentEvent) -> None:
        """Write down a change the sync made to an assignment."""
        ...

    async def events(self, assignment_id: int) -> list[AssignmentEvent]:
        """The sync's changes to one assignment, oldest first."""
        ...
