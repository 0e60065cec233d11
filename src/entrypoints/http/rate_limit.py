"""Per-actor rate limit on the routes that call FMS (a token bucket per identity, in this process)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import structlog
from litestar.connection import ASGIConnection
from litestar.exceptions import TooManyRequestsException
from litestar.handlers.base import BaseRouteHandler

from application.records import Actor

log = structlog.get_logger("media_scheduler.rate_limit")

FMS_PREFIXES = (
    "/api/fms/",  # create, delete, bulk-* (and any later FMS route); GET /api/fms/config is a read
    "/api/calendar/change-assignment-status/",
    "/api/calendar/delete-assignment/",
)
MAX_TRACKED = 10_000


def calls_fms(method: str, path: str) -> bool:
    """True for the requests that may call FMS: every non-GET request under the FMS route prefixes."""
    return method not in ("GET", "HEAD", "OPTIONS") and path.startswith(FMS_PREFIXES)


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Allows `per_minute` calls per key, refilled continuously, with bursts up to `per_minute`."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def _prune(self, now: float) -> None:
        full = [
            k for k, b in self._buckets.items() if b.tokens + (now - b.updated) * self.rate >= self.per_minute
        ]
        for key in full:
            del self._buckets[key]

    @property
    def rate(self) -> float:
        """Tokens added per second."""
        return self.per_minute / 60.0

    def acquire(self, key: str) -> float:
        """Take one call for key: 0 when allowed, else the seconds to wait before the next one."""
        now = self._clock()
        if len(self._buckets) > MAX_TRACKED:
            self._prune(now)
        bucket = self._buckets.setdefault(key, _Bucket(tokens=float(self.per_minute), updated=now))
        bucket.tokens = min(float(self.per_minute), bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate


def rate_limit_guard(
    limiter: RateLimiter,
) -> Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Any]:
    """App-level guard (after authentication): 429 with Retry-After once an actor exceeds the limit."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        method = str(connection.scope.get("method", ""))
        if limiter.per_minute <= 0 or not calls_fms(method, connection.scope["path"]):
            return
        actor = connection.scope.get("user")
        key = actor.name if isinstance(actor, Actor) else "anonymous"
        wait = limiter.acquire(key)
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            log.warning("rate limited", limit_per_minute=limiter.per_minute, retry_after_s=retry_after)
            raise TooManyRequestsException(
                detail=(
                    f"too many FMS actions: at most {limiter.per_minute} a minute per person; "
                    f"retry in {retry_after} s"
                ),
                headers={"Retry-After": str(retry_after)},
            )

    return guard
