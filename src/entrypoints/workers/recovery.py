"""The recovery worker inside the service: a background loop that settles FMS operations nobody holds."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from contextlib import suppress
from typing import Any

import structlog

from adapters.metrics.registry import ServiceMetrics
from application.backoff import Backoff
from application.fms_waiting_events import apply_waiting_events
from application.port_errors import PortError
from application.ports import FmsRequestFinder, WorkerLock
from application.protocol.ports import ProtocolPorts
from application.recovery import RecoveryReport, settle_pending
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.service import RecoverySettings

log = structlog.get_logger("media_scheduler.recovery")


def finder_of(gateway: Any, fms: FmsSettings) -> FmsRequestFinder | None:
    """The gateway as a request finder when it can look requests up and that is switched on."""
    if not fms.lookup_enabled or not hasattr(gateway, "find_by_reference"):
        return None
    finder: FmsRequestFinder = gateway
    return finder


class RecoveryWorker:
    """Runs a recovery pass every interval (with jitter); one pass at a time across replicas."""

    def __init__(
        self,
        ports: ProtocolPorts,
        settings: RecoverySettings,
        *,
        lock: WorkerLock,
        finder: FmsRequestFinder | None = None,
        metrics: ServiceMetrics | None = None,
    ) -> None:
        self.ports = ports
        self.metrics = metrics
        self.lock = lock
        self.finder = finder
        self.interval = settings.interval_seconds
        self.backoff = Backoff(base_seconds=max(1.0, self.interval / 2))

    async def run_once(self) -> RecoveryReport:
        """One pass, then the FMS events that waited for a request now known; figures logged when it
        did anything."""
        report = await settle_pending(self.ports, lock=self.lock, finder=self.finder, backoff=self.backoff)
        applied = await apply_waiting_events(None, uow_factory=self.ports.uow_factory, clock=self.ports.clock)
        if applied:
            log.info("waiting fms events applied", event_ids=[result.event_id for result in applied])
        if self.metrics is not None:
            self.metrics.recovery_pass(
                {
                    "settled": report.settled,
                    "left_unknown": report.left_unknown,
                    "deferred": report.deferred,
                    "failed": report.failed,
                }
            )
        if report.examined:
            log.info(
                "recovery pass",
                examined=report.examined,
                settled=report.settled,
                left_unknown=report.left_unknown,
                deferred=report.deferred,
            )
        return report

    async def run_forever(self) -> None:
        """Pass after pass until cancelled; a failing pass is logged and retried next time."""
        while True:
            try:
                await self.run_once()
            except PortError as exc:
                log.warning("recovery pass failed", error=str(exc))
            await asyncio.sleep(self.interval * random.uniform(0.8, 1.2))


async def recovery_worker(
    settings: RecoverySettings,
    ports: ProtocolPorts,
    lock: WorkerLock,
    finder: FmsRequestFinder | None,
    metrics: ServiceMetrics | None = None,
) -> AsyncIterator[RecoveryWorker]:
    """A container Resource: the worker, running in the background while enabled."""
    worker = RecoveryWorker(ports, settings, lock=lock, finder=finder, metrics=metrics)
    if not settings.enabled:
        yield worker
        return
    task = asyncio.create_task(worker.run_forever(), name="fms-recovery-worker")
    try:
        yield worker
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
