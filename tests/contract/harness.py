"""What a contract suite gets from each adapter: a unit-of-work factory and backdoors to inspect state."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from application.ports import UnitOfWork, UnitOfWorkFactory
from domain.assignment import Assignment
from domain.values import Status

LA, SF, NY = "Los Angeles", "San Francisco", "New York"
VIN_1, VIN_2, VIN_3 = "1HGCM82633A000001", "4T1BF1FK5CU000002", "JM3KFBCM0L0000003"
MONDAY = date(2025, 3, 3)
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class Harness:
    """One adapter under test: its unit-of-work factory and backdoor counts of stored rows."""

    uow_factory: UnitOfWorkFactory
    count_assignments: Callable[[], Awaitable[int]]
    count_operations: Callable[[], Awaitable[int]]


def new_assignment(**overrides: Any) -> Assignment:
    """A planned assignment of VIN_1 to partner 101 in LA for the week of MONDAY, with overrides."""
    fields: dict[str, Any] = {
        "vin": VIN_1,
        "person_id": 101,
        "office": LA,
        "start_day": MONDAY,
        "end_day": date(2025, 3, 10),
        "status": Status.PLANNED,
        "partner_name": "Pat Partner",
    }
    fields.update(overrides)
    return Assignment(**fields)


class Boom(Exception):
    """Raised inside a unit of work to force a rollback."""


async def fail_after(harness: Harness, action: Callable[[UnitOfWork], Awaitable[object]]) -> None:
    """Run action in a unit of work, then raise Boom so that the unit of work rolls back."""
    async with harness.uow_factory() as uow:
        await action(uow)
        raise Boom


async def store(harness: Harness, *assignments: Assignment) -> list[Assignment]:
    """Add assignments in one committed unit of work; return them with ids and versions."""
    async with harness.uow_factory() as uow:
        return [await uow.assignments.add(a) for a in assignments]


async def load(harness: Harness, assignment_id: int | None) -> Assignment | None:
    """Read one assignment in its own unit of work."""
    assert assignment_id is not None
    async with harness.uow_factory() as uow:
        return await uow.assignments.get(assignment_id)


async def save(harness: Harness, assignment: Assignment) -> None:
    """Update one assignment in its own unit of work."""
    async with harness.uow_factory() as uow:
        await uow.assignments.update(assignment)
