"""MemoryHoldRepo: the leases of processes holding FMS operations, over the in-memory store."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from uuid import UUID

from adapters.memory.store import MemoryStore

ENDED = datetime.min.replace(tzinfo=UTC)  # a lease ended for good: never renewed again


class MemoryHoldRepo:
    """One lease per holder identity, as the fms_holders table keeps them."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def renew(self, holder_id: UUID, name: str, until: datetime, *, now: datetime) -> bool:
        """Register a new holder or extend a running lease; False when it lapsed."""
        holds = self._store.tables.holds
        current = holds.get(holder_id)
        if current is not None and current <= now:
            return False
        holds[holder_id] = max(until, current or until)
        return True

    async def take_from(self, holder_id: UUID, *, now: datetime) -> bool:
        """True (and the lease ended for good) when it lapsed; False while it runs."""
        holds = self._store.tables.holds
        current = holds.get(holder_id)
        if current is not None and current > now:
            return False
        holds[holder_id] = ENDED
        return True

    async def release(self, holder_id: UUID) -> None:
        """End a holder's lease for good."""
        self._store.tables.holds[holder_id] = ENDED

    async def live(self, holder_ids: Iterable[UUID], *, now: datetime) -> set[UUID]:
        """The holders whose lease is running."""
        holds = self._store.tables.holds
        return {h for h in holder_ids if h in holds and holds[h] > now}
