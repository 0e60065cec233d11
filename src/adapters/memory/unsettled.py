"""MemoryUnsettledOperations: how many FMS operations are under way or unknown, over the in-memory store."""

from __future__ import annotations

from collections import Counter

from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from domain.values import FmsState

_UNSETTLED = frozenset({FmsState.CREATING, FmsState.DELETING, FmsState.UNKNOWN})


class MemoryUnsettledOperations:
    """Counts the store's live assignments by FMS state."""

    def __init__(self, factory: MemoryUnitOfWorkFactory) -> None:
        self._store = factory.store

    async def counts(self) -> dict[str, int]:
        """Live assignments per FMS state among creating, deleting and unknown."""
        counted = Counter(
            a.fms_state.value
            for a in self._store.tables.assignments.values()
            if not a.removed and a.fms_state in _UNSETTLED
        )
        return dict(counted)
