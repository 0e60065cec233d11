"""WorkerLock contract: one holder at a time, released after the block (memory and PostgreSQL)."""

from __future__ import annotations

import pytest

from adapters.memory.worker_lock import MemoryWorkerLock
from adapters.postgres.db import PgPool
from adapters.postgres.worker_lock import PostgresWorkerLock
from application.ports import WorkerLock


class WorkerLockContract:
    """Subclasses provide two handles on the same lock space (as two replicas would have)."""

    @pytest.fixture
    def locks(self) -> tuple[WorkerLock, WorkerLock]:
        """Overridden by each adapter's subclass."""
        raise NotImplementedError

    async def test_second_holder_is_refused_at_once(self, locks: tuple[WorkerLock, WorkerLock]) -> None:
        first, second = locks
        async with first.hold("job") as mine:
            assert mine
            async with second.hold("job") as theirs:
                assert not theirs
            async with second.hold("other-job") as other:
                assert other

    async def test_released_after_the_block_even_on_error(self, locks: tuple[WorkerLock, WorkerLock]) -> None:
        first, second = locks
        with pytest.raises(RuntimeError):
            async with first.hold("job"):
                raise RuntimeError("boom")
        async with second.hold("job") as theirs:
            assert theirs


class TestMemoryWorkerLock(WorkerLockContract):
    """Within one process."""

    @pytest.fixture
    def locks(self) -> tuple[WorkerLock, WorkerLock]:
        """One lock object shared, as one process has."""
        lock = MemoryWorkerLock()
        return lock, lock


@pytest.mark.postgres
class TestPostgresWorkerLock(WorkerLockContract):
    """Across sessions: each hold uses its own connection."""

    @pytest.fixture
    def locks(self, pg_pool: PgPool) -> tuple[WorkerLock, WorkerLock]:
        """Two lock objects on one database, as two replicas have."""
        return PostgresWorkerLock(pg_pool), PostgresWorkerLock(pg_pool)
