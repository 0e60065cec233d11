"""MemoryReconciliationRepo: what the sync's reconciliation reads and writes, over the in-memory store."""

from __future__ import annotations

import copy
from collections.abc import Collection

from adapters.memory.store import MemoryStore
from application.records import AssignmentEvent
from domain.assignment import Assignment
from domain.reconciliation import awaits_activity
from domain.reference import Activity
from domain.values import Status


class MemoryReconciliationRepo:
    """Queries over the store's lists; the unit of work's lock already serialises everything."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    def _live(self) -> list[Assignment]:
        rows = self._store.tables.assignments
        return [copy.deepcopy(rows[i]) for i in sorted(rows) if not rows[i].removed]

    async def awaiting_activity(self) -> list[Assignment]:
        """Live assignments FMS may have approved, by id."""
        return [a for a in self._live() if awaits_activity(a)]

    async def active(self) -> list[Assignment]:
        """Live active assignments, by id."""
        return [a for a in self._live() if a.status is Status.ACTIVE]

    async def current_activities_of(self, vins: Collection[str]) -> list[Activity]:
        """Current activities of these vehicles."""
        wanted = set(vins)
        return [a for a in self._store.tables.current_activities if a.vin in wanted]

    async def claimed_activity_ids(self, activity_ids: Collection[int]) -> set[int]:
        """Those of the ids some assignment holds."""
        held = {a.activity_id for a in self._store.tables.assignments.values() if a.activity_id is not None}
        return held & set(activity_ids)

    async def in_loan_history(self, activity_ids: Collection[int]) -> set[int]:
        """Those of the ids in the loan history."""
        return {a.activity_id for a in self._store.tables.loan_history} & set(activity_ids)

    async def in_current_activity(self, activity_ids: Collection[int]) -> set[int]:
        """Those of the ids in the current-activity report."""
        return {a.activity_id for a in self._store.tables.current_activities} & set(activity_ids)

    async def record_event(self, event: AssignmentEvent) -> None:
        """Append an event."""
        self._store.tables.assignment_events.append(event)

    async def events(self, assignment_id: int) -> list[AssignmentEvent]:
        """One assignment's events, oldest first."""
        return [e for e in self._store.tables.assignment_events if e.assignment_id == assignment_id]
