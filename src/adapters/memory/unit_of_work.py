"""MemoryUnitOfWork: a transaction over the in-memory store (one lock, snapshot for rollback)."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from adapters.memory.assignment_repo import MemoryAssignmentRepo
from adapters.memory.fms_event_log import MemoryFmsEventLog
from adapters.memory.hold_repo import MemoryHoldRepo
from adapters.memory.operation_log import MemoryFmsOperationLog
from adapters.memory.protocol_store import ComposedProtocolStore, UowOutcomeStore
from adapters.memory.reconciliation_repo import MemoryReconciliationRepo
from adapters.memory.reference_data import MemoryReferenceData
from adapters.memory.store import MemoryStore, MemoryTables


class MemoryUnitOfWork:
    """Holds the store's lock for its lifetime; restores the snapshot when an exception escapes."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._snapshot: MemoryTables | None = None
        self.assignments = MemoryAssignmentRepo(store)
        self.operations = MemoryFmsOperationLog(store)
        self.reference = MemoryReferenceData(store)
        self.reconciliation = MemoryReconciliationRepo(store)
        self.holds = MemoryHoldRepo(store)
        self.fms_events = MemoryFmsEventLog(store)
        self.protocol = ComposedProtocolStore(self)

    async def __aenter__(self) -> Self:
        """Take the lock and a snapshot."""
        await self._store.lock.acquire()
        self._snapshot = self._store.snapshot()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Keep the changes, or restore the snapshot on an exception; release the lock."""
        try:
            if exc_type is not None and self._snapshot is not None:
                self._store.restore(self._snapshot)
        finally:
            self._snapshot = None
            self._store.lock.release()


class MemoryUnitOfWorkFactory:
    """Makes memory units of work over one store."""

    def __init__(self, store: MemoryStore | None = None) -> None:
        self.store = store or MemoryStore()

    @property
    def outcomes(self) -> UowOutcomeStore:
        """Step 3's one write, as a unit of work of its own (made by this factory)."""
        return UowOutcomeStore(self)

    def __call__(self) -> MemoryUnitOfWork:
        """A new unit of work."""
        return MemoryUnitOfWork(self.store)
