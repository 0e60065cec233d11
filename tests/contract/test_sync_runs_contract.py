"""The SyncRunLog and SyncLock contracts against the memory and PostgreSQL adapters."""

from __future__ import annotations

import pytest

from adapters.memory.sync_runs import MemorySyncLock, MemorySyncRunLog
from adapters.postgres.db import PgPool
from adapters.postgres.sync_runs import PostgresSyncLock, PostgresSyncRunLog
from application.sync.ports import SyncLock, SyncRunLog
from tests.contract.sync_runs_contract import SyncLockContract, SyncRunLogContract


class TestMemorySyncRunLog(SyncRunLogContract):
    """Runs in a list."""

    @pytest.fixture
    def runs(self) -> SyncRunLog:
        """An empty log."""
        return MemorySyncRunLog()


@pytest.mark.postgres
class TestPostgresSyncRunLog(SyncRunLogContract):
    """Runs in the sync_runs table of a fresh database."""

    @pytest.fixture
    def runs(self, pg_pool: PgPool) -> SyncRunLog:
        """The log over this test's database."""
        return PostgresSyncRunLog(pg_pool)


class TestMemorySyncLock(SyncLockContract):
    """One lock object, as one process has."""

    @pytest.fixture
    def readers(self) -> MemorySyncRunLog:
        """An empty log."""
        return MemorySyncRunLog()

    @pytest.fixture
    def locks(self, readers: MemorySyncRunLog) -> tuple[SyncLock, SyncLock]:
        """The same lock twice."""
        lock = MemorySyncLock(readers)
        return lock, lock


@pytest.mark.postgres
class TestPostgresSyncLock(SyncLockContract):
    """An advisory lock: two lock objects on one database, as two replicas have."""

    @pytest.fixture
    def readers(self, pg_pool: PgPool) -> SyncRunLog:
        """The run log on this test's database."""
        return PostgresSyncRunLog(pg_pool)

    @pytest.fixture
    def locks(self, pg_pool: PgPool) -> tuple[SyncLock, SyncLock]:
        """Two handles on the same database."""
        return PostgresSyncLock(pg_pool), PostgresSyncLock(pg_pool)
