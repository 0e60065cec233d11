"""The FmsGatewayContract run against the metered wrapper (over the memory fake): metering changes nothing."""

from __future__ import annotations

import pytest

from adapters.fms_faults import FmsFault
from adapters.memory.fms_gateway import MemoryFmsGateway
from adapters.metrics.fms import MeteredFmsFinder, metered
from adapters.metrics.registry import ServiceMetrics
from tests.contract.fms_gateway_contract import FmsGatewayContract
from tests.contract.fms_harness import REFUSAL_MESSAGE, FmsHarness
from tests.contract.test_fms_gateway_contract import (
    KNOWN_LOANEE,
    KNOWN_VEHICLE,
    UNKNOWN_VEHICLE,
    _AuthRefusing,
)


class TestMeteredFmsGateway(FmsGatewayContract):
    """The wrapper the container puts in front of every gateway."""

    @pytest.fixture
    def fms(self) -> FmsHarness:
        """The fake, knowing one vehicle, behind the metered wrapper."""
        fake = MemoryFmsGateway(known_vehicle_ids={KNOWN_VEHICLE})
        fake.refusal_message = REFUSAL_MESSAGE
        metrics = ServiceMetrics()
        gateway = metered(fake, metrics)
        assert isinstance(gateway, MeteredFmsFinder)

        async def held() -> set[int]:
            return set(fake.requests)

        async def arrange(fault: FmsFault) -> None:
            fake.fail_next(fault)

        refusing = metered(_AuthRefusing(fake), metrics)
        return FmsHarness(
            gateway, refusing, KNOWN_VEHICLE, KNOWN_LOANEE, UNKNOWN_VEHICLE, gateway, held, arrange
        )
