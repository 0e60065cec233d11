"""How long a test waits for something: each bound derived from the setting that bounds what it waits for.

A wait ends as soon as what it waits for has happened; its bound only says when to give up and fail. The
bound is what the service itself promises through its settings (the embedded PostgreSQL's start, the
shutdown timeout, the longest FMS call, the recovery worker's lease and interval), never a guess of how
fast the machine is: a slow, busy machine makes the wait longer, not the test red.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from adapters.postgres.embedded import LONGEST_START_SECONDS, PG_CTL_STOP_SECONDS
from adapters.postgres.pool import CONNECT_TIMEOUT_SECONDS
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.service import RecoverySettings, Settings

DEFAULTS = Settings()


def start_seconds(*, embedded_postgres: bool = True) -> float:
    """`serve` (or `fms-sim`) answering: the embedded PostgreSQL's start, then opening the pool."""
    return (LONGEST_START_SECONDS if embedded_postgres else 0.0) + CONNECT_TIMEOUT_SECONDS


def stop_seconds(settings: Settings = DEFAULTS, *, embedded_postgres: bool = True) -> float:
    """`serve` exiting after SIGTERM: the shutdown timeout, then stopping the embedded PostgreSQL."""
    return settings.shutdown_timeout_seconds + (PG_CTL_STOP_SECONDS if embedded_postgres else 0.0)


def call_seconds(fms: FmsSettings = DEFAULTS.fms) -> float:
    """One API call of the service: at most one FMS call (connecting, then the call) and storing it."""
    return fms.longest_call_seconds + CONNECT_TIMEOUT_SECONDS


def browser_ms(fms: FmsSettings = DEFAULTS.fms) -> float:
    """A step of a page (Playwright's waits, in ms): the API calls it makes, each bounded as above."""
    return call_seconds(fms) * 1000


def settle_seconds(recovery: RecoverySettings, fms: FmsSettings, *, operations: int = 1) -> float:
    """The recovery worker settling operations left held: the lease lapses (stale_after), the next pass
    starts within one interval (and its jitter of 20 %), and it looks each one up, one at a time."""
    return recovery.stale_after_seconds + 1.2 * recovery.interval_seconds + operations * call_seconds(fms)


async def until(
    check: Callable[[], Awaitable[bool]], *, within: float, what: str, poll: float = 0.05
) -> None:
    """Poll check until it is true; fail, saying what did not happen, once `within` seconds passed."""
    deadline = time.monotonic() + within
    while not await check():
        assert time.monotonic() < deadline, f"{what} did not happen within {within:g} s"
        await asyncio.sleep(poll)
