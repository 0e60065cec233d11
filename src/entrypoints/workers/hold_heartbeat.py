"""This process's holder and the heartbeat that keeps its lease (its holds on FMS operations) alive."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator
from contextlib import suppress
from datetime import timedelta

import structlog

from application.port_errors import PortError
from application.ports import Clock, UnitOfWorkFactory
from application.protocol.holds import Holder, drop_hold, renew_hold
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.service import RecoverySettings

log = structlog.get_logger("media_scheduler.holds")


def process_holder(recovery: RecoverySettings, fms: FmsSettings) -> Holder:
    """The holder of this process: its lease is RECOVERY_STALE_AFTER_SECONDS, a call the FMS timeouts."""
    return Holder(
        name=f"{socket.gethostname()}:{os.getpid()}",
        lease=timedelta(seconds=recovery.stale_after_seconds),
        longest_call=timedelta(seconds=fms.longest_call_seconds),
    )


async def _beat(holder: Holder, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
    while True:
        try:
            await renew_hold(holder, uow_factory=uow_factory, clock=clock)
        except PortError as exc:
            log.warning("could not renew this process's hold", error=str(exc))
        await asyncio.sleep(holder.renew_every.total_seconds())


async def hold_heartbeat(
    holder: Holder, uow_factory: UnitOfWorkFactory, clock: Clock
) -> AsyncIterator[Holder]:
    """A container Resource: renews the lease while the service runs, gives it up when it stops."""
    task = asyncio.create_task(_beat(holder, uow_factory, clock), name="fms-hold-heartbeat")
    try:
        yield holder
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
        try:
            await drop_hold(holder, uow_factory=uow_factory)
        except PortError as exc:  # the lease lapses by itself
            log.warning("could not give up this process's hold", error=str(exc))
