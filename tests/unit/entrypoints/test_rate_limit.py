"""The per-actor token bucket and the choice of routes it guards."""

from __future__ import annotations

import pytest

from entrypoints.http.rate_limit import RateLimiter, calls_fms


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_up_to_the_limit_then_a_wait_that_refills() -> None:
    clock = Clock()
    limiter = RateLimiter(60, clock)
    assert [limiter.acquire("alex") for _ in range(60)] == [0.0] * 60
    assert limiter.acquire("alex") == pytest.approx(1.0)
    assert limiter.acquire("sam") == 0.0  # per actor
    clock.now += 1.0
    assert limiter.acquire("alex") == 0.0
    assert limiter.acquire("alex") > 0
    clock.now += 120
    assert [limiter.acquire("alex") for _ in range(60)] == [0.0] * 60  # never more than the limit saved up


@pytest.mark.parametrize(
    ("method", "path", "limited"),
    [
        ("PATCH", "/api/calendar/change-assignment-status/1", True),
        ("POST", "/api/fms/create-vehicle-request/1", True),
        ("DELETE", "/api/fms/delete-vehicle-request/1", True),
        ("DELETE", "/api/calendar/delete-assignment/1", True),
        ("POST", "/api/fms/bulk-create-vehicle-requests", True),
        ("GET", "/api/fms/config", False),
        ("POST", "/api/calendar/schedule-assignment", False),
        ("GET", "/api/calendar/activity", False),
        ("OPTIONS", "/api/fms/create-vehicle-request/1", False),
    ],
)
def test_which_requests_count(method: str, path: str, limited: bool) -> None:
    assert calls_fms(method, path) is limited
