"""The in-memory database behind the memory adapters: plain dicts, one lock as the transaction."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from application.fms_events import ReceivedEvent
from application.records import ApprovedMake, AssignmentEvent, FmsOperation, Office
from application.sync.rows import BudgetRow
from domain.assignment import Assignment
from domain.reference import Activity, Partner, Vehicle


@dataclass
class MemoryTables:
    """Every table the memory adapters keep."""

    assignments: dict[int, Assignment] = field(default_factory=dict)
    next_assignment_id: int = 1
    operations: dict[UUID, FmsOperation] = field(default_factory=dict)
    offices: list[Office] = field(default_factory=list)
    vehicles: dict[str, Vehicle] = field(default_factory=dict)
    partners: dict[tuple[int, str], Partner] = field(default_factory=dict)
    approved_makes: list[ApprovedMake] = field(default_factory=list)
    current_activities: list[Activity] = field(default_factory=list)
    loan_history: list[Activity] = field(default_factory=list)
    budget_spending: list[BudgetRow] = field(default_factory=list)
    assignment_events: list[AssignmentEvent] = field(default_factory=list)
    holds: dict[UUID, datetime] = field(default_factory=dict)  # holder id -> lease until
    fms_events: dict[str, ReceivedEvent] = field(default_factory=dict)


class MemoryStore:
    """Holds the tables and serialises units of work, as a database with one big lock would."""

    def __init__(self) -> None:
        self.tables = MemoryTables()
        self._lock: asyncio.Lock | None = None

    @property
    def lock(self) -> asyncio.Lock:
        """The transaction lock (created lazily, inside the running event loop)."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    def snapshot(self) -> MemoryTables:
        """A copy of every container to restore on rollback (rows are never mutated in place)."""
        t = self.tables
        return MemoryTables(
            assignments=dict(t.assignments),
            next_assignment_id=t.next_assignment_id,
            operations=dict(t.operations),
            offices=list(t.offices),
            vehicles=dict(t.vehicles),
            partners=dict(t.partners),
            approved_makes=list(t.approved_makes),
            current_activities=list(t.current_activities),
            loan_history=list(t.loan_history),
            budget_spending=list(t.budget_spending),
            assignment_events=list(t.assignment_events),
            holds=dict(t.holds),
            fms_events=dict(t.fms_events),
        )

    def restore(self, snapshot: MemoryTables) -> None:
        """Put a snapshot back (rollback)."""
        self.tables = snapshot
