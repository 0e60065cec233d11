"""This process's holder and the heartbeat that keeps its lease (its holds on FMS operations) alive."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator
from contextlib import suppress
from datetime import timedelta
from typing import Protocol

import structlog

from application.port_errors import PortError
from application.ports import Clock, FmsGateway, UnitOfWorkFactory
from application.protocol.holds import Holder, renew_hold
from application.protocol.outcomes import store_owed
from application.protocol.ports import ProtocolPorts
from application.protocol.stopping import stop_holding
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.service import RecoverySettings

log = structlog.get_logger("media_scheduler.holds")
FIRST_RETRY_SECONDS = 0.5


def process_holder(recovery: RecoverySettings, fms: FmsSettings) -> Holder:
    """The holder of this process: its lease is RECOVERY_STALE_AFTER_SECONDS, a call the FMS timeouts."""
    return Holder(
        name=f"{socket.gethostname()}:{os.getpid()}",
        lease=timedelta(seconds=recovery.stale_after_seconds),
        longest_call=timedelta(seconds=fms.longest_call_seconds),
    )


class SyncedClock(Clock, Protocol):
    """A clock read off the database's time, anchored again at each heartbeat."""

    async def sync(self) -> None:
        """Anchor on the database's time now (PortError when the database does not answer)."""
        ...


async def _beat(holder: Holder, ports: ProtocolPorts, clock: SyncedClock) -> None:
    """Store what the outbox owes, then renew the lease; while the database refuses, try again soon
    (doubling up to one renewal interval) instead of waiting a whole interval."""
    retry = FIRST_RETRY_SECONDS
    while True:
        try:
            await clock.sync()
            stored = await store_owed(ports)
            if stored:
                log.info("stored FMS answers kept while the database was unavailable", count=stored)
            await renew_hold(holder, uow_factory=ports.uow_factory, clock=ports.clock)
        except PortError as exc:
            log.warning(
                "could not store this process's hold or kept FMS answers",
                error=str(exc),
                kept_answers=len(ports.holder.outbox),
            )
            await asyncio.sleep(retry)
            retry = min(retry * 2, holder.renew_every.total_seconds())
            continue
        retry = FIRST_RETRY_SECONDS
        await asyncio.sleep(holder.renew_every.total_seconds())


async def hold_heartbeat(
    holder: Holder, uow_factory: UnitOfWorkFactory, fms: FmsGateway, clock: SyncedClock
) -> AsyncIterator[Holder]:
    """A container Resource: renews the lease while the service runs; at its end stores what it still
    owes and gives the lease up (or leaves it to lapse when calls were cut off under way)."""
    ports = ProtocolPorts(uow_factory, fms, clock, holder)
    await clock.sync()  # before anything reads the time
    task = asyncio.create_task(_beat(holder, ports, clock), name="fms-hold-heartbeat")
    try:
        yield holder
    finally:
        holder.stop()
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
        try:
            await stop_holding(ports)
        except PortError as exc:  # the lease lapses by itself; what is still owed is left to recovery
            log.warning(
                "could not store what this process owes or give up its hold",
                error=str(exc),
                kept_answers=len(holder.outbox),
            )
