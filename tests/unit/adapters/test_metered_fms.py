"""MeteredFmsGateway: each call counted once with the outcome its exception means, and timed."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.fms_faults import FmsFault
from adapters.memory.fms_gateway import MemoryFmsGateway
from adapters.metrics.fms import MeteredFmsFinder, MeteredFmsGateway, metered
from adapters.metrics.registry import ServiceMetrics
from application.port_errors import FmsCallError
from application.ports import FmsAnswer
from domain.fms_request import VehicleRequest

REQUEST = VehicleRequest(
    requestor_id=1949,
    start_date=date(2027, 1, 4),
    end_date=date(2027, 1, 11),
    activity_type_id=1,
    activity_to="Pat, Press",
    reason="test",
    loanee_id=3001,
    vehicle_id=80001,
    vehicle_notes="",
    requestor_notes="media-scheduler:test:op=1",
)


def count(metrics: ServiceMetrics, call: str, outcome: str) -> float:
    """The counter's value for these labels (0 when never counted)."""
    value = metrics.registry.get_sample_value(
        "media_scheduler_fms_calls_total", {"call": call, "outcome": outcome}
    )
    return value or 0.0


@pytest.mark.parametrize(
    ("fault", "outcome"),
    [
        (None, "success"),
        (FmsFault.REFUSE, "refused"),
        (FmsFault.AUTH, "credentials"),
        (FmsFault.UNREACHABLE, "unreached"),
        (FmsFault.COMMIT_THEN_FAIL, "ambiguous"),
        (FmsFault.SERVER_ERROR, "ambiguous"),
    ],
)
async def test_a_create_is_counted_with_its_outcome(fault: FmsFault | None, outcome: str) -> None:
    fake, metrics = MemoryFmsGateway(), ServiceMetrics()
    gateway = metered(fake, metrics)
    if fault is not None:
        fake.fail_next(fault)
        with pytest.raises(FmsCallError):
            await gateway.create_request(REQUEST)
    else:
        await gateway.create_request(REQUEST)
    assert count(metrics, "create", outcome) == 1
    total = metrics.registry.get_sample_value(
        "media_scheduler_fms_call_duration_seconds_count", {"call": "create"}
    )
    assert total == 1


async def test_deletes_and_lookups_are_counted_as_such() -> None:
    fake, metrics = MemoryFmsGateway(), ServiceMetrics()
    gateway = metered(fake, metrics)
    assert isinstance(gateway, MeteredFmsFinder)
    answer = await gateway.create_request(REQUEST)
    assert answer.fms_request_id is not None
    assert await gateway.find_by_reference(REQUEST.requestor_notes) == answer.fms_request_id
    await gateway.delete_request(answer.fms_request_id)
    assert (count(metrics, "lookup", "success"), count(metrics, "delete", "success")) == (1, 1)


class _NoLookup:
    async def create_request(self, request: VehicleRequest) -> FmsAnswer:
        raise AssertionError("not called")

    async def delete_request(self, fms_request_id: int) -> FmsAnswer:
        raise AssertionError("not called")


def test_a_gateway_without_lookup_stays_without_it() -> None:
    wrapped = metered(_NoLookup(), ServiceMetrics())
    assert type(wrapped) is MeteredFmsGateway
    assert not hasattr(wrapped, "find_by_reference")
