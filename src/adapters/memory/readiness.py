"""MemoryReadinessProbe: the in-memory store always takes writes; what a process holds, counted."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory


class MemoryReadinessProbe:
    """Reads the store's assignments and audit rows."""

    def __init__(self, factory: MemoryUnitOfWorkFactory) -> None:
        self._store = factory.store

    async def writable(self) -> bool:
        """Always: the store has no read-only mode."""
        return True

    async def held_since(self, holder_id: UUID, *, intent_before: datetime) -> int:
        """Live operations that holder holds whose intent was recorded before `intent_before`."""
        tables = self._store.tables
        held = 0
        for a in tables.assignments.values():
            if a.removed or a.pending is None or a.pending.held_by != holder_id:
                continue
            intent = tables.operations.get(a.pending.operation_id)
            held += intent is None or intent.started_at < intent_before
        return held
