"""The FmsGatewayContract run against the memory fake, the simulator over HTTP, and FMS staging."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import httpx
import pytest

from adapters.fms_faults import FmsFault
from adapters.fms_http.client import FmsEndpoint, fms_client
from adapters.fms_http.gateway import HttpFmsGateway
from adapters.fms_http.secret import Secret
from adapters.memory.fms_gateway import MemoryFmsGateway
from application.ports import FmsAnswer
from domain.fms_request import VehicleRequest
from tests.contract.fms_gateway_contract import FmsGatewayContract
from tests.contract.fms_harness import REFUSAL_MESSAGE, FmsHarness
from tests.fms_support import SIM_TOKEN, running_simulator

KNOWN_VEHICLE, KNOWN_LOANEE, UNKNOWN_VEHICLE = 80001, 3001, 79_999
# One vocabulary (adapters/fms_faults.py): the fake takes the fault itself, the simulator its value
# as the control API's mode (REFUSE with the refusal message the contract expects).
SIM_EXTRAS: dict[FmsFault, dict[str, object]] = {
    FmsFault.REFUSE: {"detail": REFUSAL_MESSAGE},
    FmsFault.LOOKUP_PAGED: {"page_size": 1},
}
STAGING_VARIABLES = (
    "FMS_STAGING_URL",
    "FMS_STAGING_TOKEN",
    "FMS_STAGING_VEHICLE_ID",
    "FMS_STAGING_LOANEE_ID",
)


class _AuthRefusing:
    """The memory fake as seen with a wrong token: every call is refused (401)."""

    def __init__(self, fake: MemoryFmsGateway) -> None:
        self.fake = fake

    async def create_request(self, request: VehicleRequest) -> FmsAnswer:
        self.fake.fail_next(FmsFault.AUTH)
        return await self.fake.create_request(request)

    async def delete_request(self, fms_request_id: int) -> FmsAnswer:
        self.fake.fail_next(FmsFault.AUTH)
        return await self.fake.delete_request(fms_request_id)


class TestMemoryFmsGateway(FmsGatewayContract):
    """The memory fake the unit tests use: a verified fake."""

    @pytest.fixture
    def fms(self) -> FmsHarness:
        """The fake, knowing one vehicle."""
        fake = MemoryFmsGateway(known_vehicle_ids={KNOWN_VEHICLE})
        fake.refusal_message = REFUSAL_MESSAGE

        async def held() -> set[int]:
            return set(fake.requests)

        async def arrange(fault: FmsFault) -> None:
            fake.fail_next(fault)

        return FmsHarness(
            fake, _AuthRefusing(fake), KNOWN_VEHICLE, KNOWN_LOANEE, UNKNOWN_VEHICLE, fake, held, arrange
        )


class TestHttpFmsGatewayOnSimulator(FmsGatewayContract):
    """HttpFmsGateway over real HTTP against the simulator on a free port."""

    @pytest.fixture
    async def fms(self) -> AsyncIterator[FmsHarness]:
        """The gateway, a wrong-token twin, and the simulator's control API as the backdoor."""
        async with running_simulator() as sim, httpx.AsyncClient(base_url=sim.url) as control:
            endpoint = FmsEndpoint(sim.url, Secret(SIM_TOKEN))
            async with fms_client(endpoint, timeout_seconds=0.5, connect_timeout_seconds=1.0) as client:

                async def held() -> set[int]:
                    listed = (await control.get("/_control/requests")).json()["requests"]
                    return {r["id"] for r in listed}

                async def arrange(fault: FmsFault) -> None:
                    (
                        await control.post(
                            "/_control/faults", json={"mode": fault.value, **SIM_EXTRAS.get(fault, {})}
                        )
                    ).raise_for_status()

                gateway = HttpFmsGateway(client, endpoint)
                wrong = HttpFmsGateway(client, FmsEndpoint(sim.url, Secret("not-the-token")))
                yield FmsHarness(
                    gateway, wrong, KNOWN_VEHICLE, KNOWN_LOANEE, UNKNOWN_VEHICLE, gateway, held, arrange
                )


def _staging_missing() -> list[str]:
    return [name for name in STAGING_VARIABLES if not os.environ.get(name, "").strip()]


STAGING_SKIP_REASON = (
    "FMS staging not configured: set FMS_STAGING_URL and FMS_STAGING_TOKEN, plus FMS_STAGING_VEHICLE_ID "
    "and FMS_STAGING_LOANEE_ID (README: Running against FMS staging)"
)


@pytest.mark.staging
class TestHttpFmsGatewayOnStaging(FmsGatewayContract):
    """HttpFmsGateway against FMS staging: no backdoors, faults skipped, everything created is deleted."""

    @pytest.fixture
    async def fms(self) -> AsyncIterator[FmsHarness]:
        """The gateway on staging; what the test created is deleted afterwards."""
        if _staging_missing():
            pytest.skip(STAGING_SKIP_REASON)
        env = os.environ
        endpoint = FmsEndpoint(env["FMS_STAGING_URL"].strip().rstrip("/"), Secret(env["FMS_STAGING_TOKEN"]))
        lookup = env.get("FMS_LOOKUP_ENABLED", "").strip().lower() in ("1", "true", "yes", "on")
        async with fms_client(endpoint, timeout_seconds=20.0, connect_timeout_seconds=5.0) as client:
            gateway = _Tracking(HttpFmsGateway(client, endpoint))
            wrong = HttpFmsGateway(client, FmsEndpoint(endpoint.base_url, Secret("not-a-valid-token")))
            try:
                yield FmsHarness(
                    gateway,
                    wrong,
                    vehicle_id=int(env["FMS_STAGING_VEHICLE_ID"]),
                    loanee_id=int(env["FMS_STAGING_LOANEE_ID"]),
                    unknown_vehicle_id=999_999_999,
                    finder=gateway.inner if lookup else None,
                    requestor_id=int(env.get("FMS_STAGING_REQUESTOR_ID", "") or 1949),
                )
            finally:
                for fms_id in gateway.created:
                    await gateway.inner.delete_request(fms_id)


class _Tracking:
    """A gateway that remembers what it created, so that staging is left as it was found."""

    def __init__(self, inner: HttpFmsGateway) -> None:
        self.inner = inner
        self.created: list[int] = []

    async def create_request(self, request: VehicleRequest) -> FmsAnswer:
        answer = await self.inner.create_request(request)
        if answer.fms_request_id is not None:
            self.created.append(answer.fms_request_id)
        return answer

    async def delete_request(self, fms_request_id: int) -> FmsAnswer:
        return await self.inner.delete_request(fms_request_id)
