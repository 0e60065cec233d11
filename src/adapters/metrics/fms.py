"""MeteredFmsGateway: the FMS gateway port, counted and timed at its edge (every caller, once)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from adapters.metrics.registry import ServiceMetrics
from application.port_errors import FmsAmbiguous, FmsCredentialsRefused, FmsDefiniteRefusal, FmsNotReached
from application.ports import FmsAnswer, FmsGateway, FmsRequestFinder
from domain.fms_request import VehicleRequest

T = TypeVar("T")


def outcome_of(exc: BaseException) -> str:
    """The metric's outcome label for an exception an FMS call raised."""
    if isinstance(exc, FmsCredentialsRefused):
        return "credentials"
    if isinstance(exc, FmsDefiniteRefusal):
        return "refused"
    if isinstance(exc, FmsNotReached):
        return "unreached"
    if isinstance(exc, FmsAmbiguous):
        return "ambiguous"
    return "ambiguous"  # anything else escaping a call: FMS may have acted


async def _measured(metrics: ServiceMetrics, call: str, action: Callable[[], Awaitable[T]]) -> T:
    started = time.perf_counter()
    try:
        result = await action()
    except Exception as exc:
        metrics.fms_call(call, outcome_of(exc), time.perf_counter() - started)
        raise
    metrics.fms_call(call, "success", time.perf_counter() - started)
    return result


class MeteredFmsGateway:
    """Forwards create and delete to the gateway, counting each call by outcome and timing it."""

    def __init__(self, inner: FmsGateway, metrics: ServiceMetrics) -> None:
        self.inner = inner
        self.metrics = metrics

    async def create_request(self, request: VehicleRequest) -> FmsAnswer:
        """Create a vehicle request (counted as call="create")."""
        return await _measured(self.metrics, "create", lambda: self.inner.create_request(request))

    async def delete_request(self, fms_request_id: int) -> FmsAnswer:
        """Delete a vehicle request (counted as call="delete")."""
        return await _measured(self.metrics, "delete", lambda: self.inner.delete_request(fms_request_id))


class MeteredFmsFinder(MeteredFmsGateway):
    """A metered gateway that can also look requests up (counted as call="lookup")."""

    def __init__(self, inner: FmsGateway, finder: FmsRequestFinder, metrics: ServiceMetrics) -> None:
        super().__init__(inner, metrics)
        self.finder = finder

    async def find_by_reference(self, reference: str) -> int | None:
        """The id of the request FMS holds with this scheduler reference, or None."""
        return await _measured(self.metrics, "lookup", lambda: self.finder.find_by_reference(reference))


def metered(gateway: FmsGateway, metrics: ServiceMetrics) -> MeteredFmsGateway:
    """The gateway wrapped for metrics; it stays a finder when the gateway is one."""
    if hasattr(gateway, "find_by_reference"):
        finder: FmsRequestFinder = gateway  # type: ignore[assignment]
        return MeteredFmsFinder(gateway, finder, metrics)
    return MeteredFmsGateway(gateway, metrics)
