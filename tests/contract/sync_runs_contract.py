"""SyncRunLog and SyncLock contracts: the record of sync runs, and one sync at a time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from application.sync.ports import SyncLock, SyncRunLog
from application.sync.records import ReportName, ReportResult

T0 = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)


class SyncRunLogContract:
    """Subclasses provide `runs`, a run log over an empty store."""

    @pytest.fixture
    def runs(self) -> SyncRunLog:
        """Overridden by each adapter's subclass."""
        raise NotImplementedError

    async def test_a_started_run_is_running_and_not_yet_the_latest_finished(self, runs: SyncRunLog) -> None:
        run = await runs.start("manual", T0)
        assert (run.trigger, run.status, run.started_at) == ("manual", "running", T0)
        assert await runs.latest() is None
        running = await runs.latest(finished=False)
        assert running is not None
        assert running.run_id == run.run_id

    async def test_a_finished_run_keeps_its_end_and_results(self, runs: SyncRunLog) -> None:
        run = await runs.start("schedule", T0)
        run.finished_at, run.status = T0 + timedelta(minutes=3), "finished"
        run.results = [
            ReportResult(ReportName.VEHICLES, True, "loaded", rows_read=10, rows_loaded=9, rows_rejected=1)
        ]
        await runs.finish(run)
        stored = await runs.get(run.run_id)
        assert stored is not None
        assert (stored.status, stored.finished_at) == ("finished", T0 + timedelta(minutes=3))
        assert [(r.report, r.success, r.rows_loaded) for r in stored.results] == [
            (ReportName.VEHICLES, True, 9)
        ]
        latest = await runs.latest()
        assert latest is not None
        assert latest.run_id == run.run_id

    async def test_a_run_left_running_is_interrupted_by_the_next_start(self, runs: SyncRunLog) -> None:
        dead = await runs.start("schedule", T0)
        later = await runs.start("manual", T0 + timedelta(hours=1))
        assert later.run_id != dead.run_id
        interrupted = await runs.get(dead.run_id)
        assert interrupted is not None
        assert interrupted.status == "interrupted"
        assert interrupted.error == "the process running it stopped"

    async def test_an_unknown_run_is_none(self, runs: SyncRunLog) -> None:
        assert await runs.get(4242) is None


class SyncLockContract:
    """Subclasses provide two handles on the same lock (as two replicas, or one process, have) and the
    run log readers use, over the same store."""

    @pytest.fixture
    def locks(self) -> tuple[SyncLock, SyncLock]:
        """Overridden by each adapter's subclass."""
        raise NotImplementedError

    @pytest.fixture
    def readers(self) -> SyncRunLog:
        """Overridden by each adapter's subclass: the run log on the store, outside any lock."""
        raise NotImplementedError

    async def test_try_hold_is_refused_at_once_while_held(self, locks: tuple[SyncLock, SyncLock]) -> None:
        first, second = locks
        async with first.try_hold() as mine:
            assert mine is not None
            async with second.try_hold() as theirs:
                assert theirs is None
        async with second.try_hold() as theirs:
            assert theirs is not None

    async def test_many_refusals_at_once_wait_for_nothing(self, locks: tuple[SyncLock, SyncLock]) -> None:
        first, second = locks

        async def refused() -> bool:
            async with second.try_hold() as theirs:
                return theirs is None

        async with first.try_hold() as mine:
            assert mine is not None
            # More than a pool holds: a refusal that kept its connection would starve the others.
            answers = await asyncio.wait_for(asyncio.gather(*(refused() for _ in range(25))), timeout=30)
        assert all(answers)

    async def test_the_holder_records_its_run_through_the_lock(
        self, locks: tuple[SyncLock, SyncLock], readers: SyncRunLog
    ) -> None:
        first, _ = locks
        async with first.try_hold() as runs:
            assert runs is not None
            run = await runs.start("manual", T0)
            running = await readers.latest(finished=False)
            assert running is not None
            assert (running.run_id, running.status) == (run.run_id, "running")
            run.finished_at, run.status = T0 + timedelta(minutes=1), "finished"
            await runs.finish(run)
        stored = await readers.get(run.run_id)
        assert stored is not None
        assert stored.status == "finished"
