"""What the FmsGateway contract gets from each adapter: the gateway and backdoors into FMS."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import uuid4

import pytest

from adapters.fms_faults import FmsFault
from application.ports import FmsGateway, FmsRequestFinder
from domain.fms_request import VehicleRequest

REFUSAL_MESSAGE = "Start date must be a date in MM/DD/YY format"


@dataclass
class FmsHarness:
    """One adapter under test, the ids FMS knows, and (where possible) backdoors into FMS.

    held: the ids of the requests FMS holds (None: cannot be inspected, e.g. staging).
    arrange: make FMS behave as the fault says for the next call (None: cannot inject faults).
    """

    gateway: FmsGateway
    bad_token_gateway: FmsGateway
    vehicle_id: int
    loanee_id: int
    unknown_vehicle_id: int
    finder: FmsRequestFinder | None = None
    held: Callable[[], Awaitable[set[int]]] | None = None
    arrange: Callable[[FmsFault], Awaitable[None]] | None = None
    requestor_id: int = 1949
    start: date = field(default_factory=lambda: date.today() + timedelta(days=400))

    def request(self, *, vehicle_id: int | None = None, reference: str | None = None) -> VehicleRequest:
        """A well-formed request of the known vehicle for the known loanee, with a fresh reference."""
        return VehicleRequest(
            requestor_id=self.requestor_id,
            start_date=self.start,
            end_date=self.start + timedelta(days=7),
            activity_type_id=1,
            activity_to="Contract Test, Media Scheduler",
            reason="media-scheduler contract test (safe to delete)",
            loanee_id=self.loanee_id,
            vehicle_id=self.vehicle_id if vehicle_id is None else vehicle_id,
            vehicle_notes="contract test vehicle",
            requestor_notes=reference or f"media-scheduler:contract-test:op={uuid4()}",
        )

    async def holds(self) -> set[int]:
        """The ids FMS holds; skips the test when FMS cannot be inspected."""
        if self.held is None:
            pytest.skip("this FMS cannot be inspected through a backdoor")
        return await self.held()

    async def make(self, fault: FmsFault) -> None:
        """Arrange a fault for the next call; skips the test when faults cannot be injected."""
        if self.arrange is None:
            pytest.skip("faults cannot be injected into this FMS")
        await self.arrange(fault)
