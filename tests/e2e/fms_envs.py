"""The service wired to each FMS it can talk to: sandbox (memory fake or simulator) and staging.

Staging here is the real configuration path (Settings.from_env with FMS_ENVIRONMENT=staging and
authentication on) pointed at an FMS simulator started beside the test, as one would by hand with
`media-scheduler fms-sim --port N --token T`.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass

import httpx
import jwt
from litestar.testing import AsyncTestClient

from adapters.memory.fms_gateway import MemoryFmsGateway
from application.ports import UnitOfWorkFactory
from entrypoints.http.app import create_app
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.service import RecoverySettings, Settings
from entrypoints.wiring.container import Container, build_container, resolve
from entrypoints.wiring.fms import teach_sandbox_vehicles
from fms_simulator.server import SimulatorServer
from tests.e2e.world import OFFICE, VIN_BUSY, VIN_OK, Client, seed
from tests.fms_support import SIM_TOKEN, SimulatorThread

JWT_SECRET = "e2e-fms-jwt-secret-0123456789abcdef-0123456789"
ISSUER, AUDIENCE = "https://fms.example.com", "media-scheduler"
USER_FMS_ID = 4242
KINDS = ("sandbox-memory", "sandbox-simulator", "staging")


@dataclass(frozen=True)
class Held:
    """A vehicle request as FMS holds it, whichever FMS that is."""

    vehicle_id: int
    requestor_id: int
    loanee_id: int | None
    requestor_notes: str


@dataclass
class FmsEnv:
    """A client on the service, its storage, and what its FMS holds (sim_url None: the memory fake)."""

    kind: str
    client: Client
    factory: UnitOfWorkFactory
    container: Container
    held: Callable[[], dict[int, Held]]
    sim_url: str | None
    requestor_id: int

    def control(self) -> httpx.AsyncClient:
        """A client on the simulator's control API."""
        assert self.sim_url is not None
        return httpx.AsyncClient(base_url=self.sim_url)


def bearer(fms_user_id: int = USER_FMS_ID, roles: tuple[str, ...] = ("scheduler", "admin")) -> str:
    """A token as FMS mints it for a signed-in scheduler."""
    now = int(time.time())
    claims = {
        "sub": "u-77",
        "email": "pat@example.com",
        "fms_user_id": fms_user_id,
        "roles": list(roles),
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + 600,
    }
    return f"Bearer {jwt.encode(claims, JWT_SECRET, algorithm='HS256')}"


def staging_env(url: str, token: str, **extra: str) -> dict[str, str]:
    """The environment of a service run against FMS staging at url."""
    return {
        "FMS_ENVIRONMENT": "staging",
        "FMS_STAGING_URL": url,
        "FMS_STAGING_TOKEN": token,
        "FMS_TIMEOUT_SECONDS": "0.5",
        "FMS_CONNECT_TIMEOUT_SECONDS": "1",
        "STORAGE_BACKEND": "memory",
        "DEMO_DATA": "false",
        "RECOVERY_ENABLED": "false",
        "AUTH_JWT_SECRET": JWT_SECRET,
        "AUTH_JWT_ISSUER": ISSUER,
        "AUTH_JWT_AUDIENCE": AUDIENCE,
        **extra,
    }


def sim_holdings(url: str) -> Callable[[], dict[int, Held]]:
    """What a simulator holds, read over its control API (it may run in another thread or loop)."""

    def held() -> dict[int, Held]:
        listed = httpx.get(f"{url}/_control/requests").json()["requests"]
        return {
            r["id"]: Held(
                r["requestsVehicles"][0]["requestsVehicle"]["vehicleId"],
                r["requestorId"],
                r["loaneeId"],
                r["requestorNotes"],
            )
            for r in listed
        }

    return held


def memory_holdings(gateway: MemoryFmsGateway) -> Callable[[], dict[int, Held]]:
    """What the memory fake holds."""

    def held() -> dict[int, Held]:
        return {
            i: Held(
                s.request.vehicle_id, s.request.requestor_id, s.request.loanee_id, s.request.requestor_notes
            )
            for i, s in gateway.requests.items()
        }

    return held


@asynccontextmanager
async def fms_env(kind: str, *, app_token: str = SIM_TOKEN, url: str | None = None) -> AsyncIterator[FmsEnv]:
    """The service on memory storage with the test world, talking to the FMS of this kind."""
    with ExitStack() as threads:
        sim_url: str | None = None
        if kind == "staging":
            sim_url = threads.enter_context(SimulatorThread()).url
            settings = Settings.from_env(staging_env(url or sim_url, app_token))
        else:
            sandbox = kind.removeprefix("sandbox-")
            settings = Settings(
                storage_backend="memory",
                demo_data=False,
                fms=FmsSettings(sandbox=sandbox, sandbox_latency_ms=0, timeout_seconds=0.5),
                recovery=RecoverySettings(enabled=False),
            )
        container = build_container(settings)
        factory: UnitOfWorkFactory = container.uow_factory()
        await seed(factory)
        async with AsyncTestClient(app=create_app(container)) as client:
            if kind == "staging":
                assert sim_url is not None
                client.headers["Authorization"] = bearer()
                specs = [
                    {"vehicle_id": 89943, "vin": VIN_OK, "make": "Audi", "model": "Q5", "office": OFFICE},
                    {"vehicle_id": 89944, "vin": VIN_BUSY, "make": "Audi", "model": "A4", "office": OFFICE},
                ]
                async with httpx.AsyncClient(base_url=sim_url) as control:
                    (await control.post("/_control/vehicles", json=specs)).raise_for_status()
            elif kind == "sandbox-simulator":
                simulator: SimulatorServer | None = await resolve(container.fms_simulator)
                assert simulator is not None
                assert await teach_sandbox_vehicles(simulator, factory) == 3
                sim_url = simulator.url
            if sim_url is not None:
                held = sim_holdings(sim_url)
            else:
                gateway = container.fms_gateway()
                assert isinstance(gateway, MemoryFmsGateway)
                held = memory_holdings(gateway)
            requestor = USER_FMS_ID if kind == "staging" else 1949
            yield FmsEnv(kind, client, factory, container, held, sim_url, requestor)
