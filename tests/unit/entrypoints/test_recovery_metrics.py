"""The recovery worker counts how each pass left the operations it examined."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.fms_faults import FmsFault
from adapters.memory.worker_lock import MemoryWorkerLock
from adapters.metrics.registry import ServiceMetrics
from application.errors import FmsOutcomeUnknown
from entrypoints.settings.service import RecoverySettings
from entrypoints.workers.recovery import RecoveryWorker
from tests.unit.application.scheduler_world import World


async def test_a_pass_that_settles_an_unknown_create_counts_it() -> None:
    world = await World().seed()
    aid = await world.add()
    world.fms.fail_next(FmsFault.COMMIT_THEN_FAIL)
    with pytest.raises(FmsOutcomeUnknown):
        await world.request(aid)
    world.clock.advance(timedelta(minutes=10))  # past the quiet time after an ambiguous answer
    metrics = ServiceMetrics()
    worker = RecoveryWorker(
        world.ports, RecoverySettings(), lock=MemoryWorkerLock(), finder=world.fms, metrics=metrics
    )
    report = await worker.run_once()
    assert report.settled == 1
    assert (
        metrics.registry.get_sample_value("media_scheduler_recovery_settled_total", {"how": "settled"}) == 1
    )
