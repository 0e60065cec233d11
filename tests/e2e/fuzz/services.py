"""The service the fuzz tests attack: real PostgreSQL storage, authentication on, and each FMS set-up.

- `sandbox`: FMS_ENVIRONMENT=sandbox with the built-in simulator, called over HTTP (the default `serve`);
- `staging`: FMS_ENVIRONMENT=staging pointed at an FMS simulator running beside it (tests/e2e/fms_envs.py);
- `memory`: the sandbox on the memory storage (the verified fakes), a cheap comparison.

Every one is built from environment variables through Settings.from_env, as `media-scheduler serve` is.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from application.ports import UnitOfWorkFactory
from domain.assignment import Assignment
from domain.values import Status
from entrypoints.http.app import create_app
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.service import RecoverySettings, Settings
from entrypoints.wiring.container import Container, build_container, resolve
from entrypoints.wiring.fms import teach_sandbox_vehicles
from tests.e2e.fms_envs import AUDIENCE, ISSUER, JWT_SECRET, staging_env
from tests.e2e.world import OFFICE, PARTNER, VIN_BUSY, VIN_NO_FMS, VIN_OK, seed
from tests.fms_support import SIM_TOKEN, SimulatorThread
from tests.pg_support import DatabaseFactory

CONFIGURATIONS = ("sandbox", "staging", "memory")
PG_CONFIGURATIONS = ("sandbox", "staging")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))  # per operation; the long run: README, Tests


@dataclass
class FuzzService:
    """An app to send requests to, and how to look at its stored data from outside."""

    kind: str
    app: Litestar
    container: Container


def service_env(kind: str, dsn: str | None, sim_url: str | None) -> dict[str, str]:
    """The environment of the service of this kind (authentication always on: every call needs a token)."""
    common = {
        "STORAGE_BACKEND": "memory" if dsn is None else "postgres",
        "DATABASE_URL": dsn or "",
        "RATE_LIMIT_FMS_PER_MINUTE": "0",  # 429s would hide the routes behind them
        "RECOVERY_ENABLED": "false",
        "DEMO_DATA": "false",
        "LOG_LEVEL": "error",
    }
    if kind == "staging":
        assert sim_url is not None
        return staging_env(sim_url, SIM_TOKEN, **common)
    return {
        **common,
        "FMS_ENVIRONMENT": "sandbox",
        "FMS_SANDBOX": "simulator",
        "FMS_SANDBOX_LATENCY_MS": "0",
        "FMS_TIMEOUT_SECONDS": "2",
        "AUTH_JWT_SECRET": JWT_SECRET,
        "AUTH_JWT_ISSUER": ISSUER,
        "AUTH_JWT_AUDIENCE": AUDIENCE,
    }


async def plan_assignments(factory: UnitOfWorkFactory) -> list[int]:
    """A few assignments (ids 1, 2, 3) for the routes that take an assignment id to act on."""
    async with factory() as uow:
        added = [
            await uow.assignments.add(
                Assignment(
                    vin=vin, person_id=PARTNER, office=OFFICE, start_day=start, end_day=end, status=status
                )
            )
            for vin, start, end, status in [
                (VIN_OK, date(2026, 11, 2), date(2026, 11, 9), Status.MANUAL),
                (VIN_NO_FMS, date(2026, 11, 2), date(2026, 11, 9), Status.PLANNED),
                (VIN_BUSY, date(2026, 12, 20), date(2026, 12, 27), Status.MANUAL),
            ]
        ]
    return [a.assignment_id for a in added if a.assignment_id is not None]


async def seed_once(factory: UnitOfWorkFactory) -> None:
    """The e2e world and a few assignments, unless the storage has them already (a later app)."""
    async with factory() as uow:
        if await uow.reference.offices():
            return
    await seed(factory)
    await plan_assignments(factory)


def _on_ready(container: Container) -> Callable[[], Awaitable[None]]:
    async def ready() -> None:
        factory = await resolve(container.uow_factory)
        await seed_once(factory)
        await teach_sandbox_vehicles(await resolve(container.fms_simulator), factory)

    return ready


@dataclass(frozen=True)
class FuzzWorld:
    """What outlives one app: the configuration, its database (None: memory) and FMS simulator URL."""

    kind: str
    dsn: str | None
    sim_url: str | None


@contextmanager
def fuzz_world(kind: str, databases: DatabaseFactory) -> Iterator[FuzzWorld]:
    """A fresh database and, for staging, an FMS simulator beside the service, taught its vehicles."""
    with ExitStack() as stack:
        sim_url = stack.enter_context(SimulatorThread()).url if kind == "staging" else None
        dsn = None if kind == "memory" else asyncio.run(databases())
        if sim_url is not None:
            _teach_simulator(sim_url)
        yield FuzzWorld(kind, dsn, sim_url)


def fuzz_service(world: FuzzWorld) -> FuzzService:
    """A new app of the world's configuration (seeding its storage when it starts, the first time).

    Schemathesis starts an app's lifespan for each test and ends it after, and a container's resources
    cannot be started twice: each test gets its own app on the same database.
    """
    container = build_container(Settings.from_env(service_env(world.kind, world.dsn, world.sim_url)))
    return FuzzService(world.kind, create_app(container, on_ready=[_on_ready(container)]), container)


def _teach_simulator(sim_url: str) -> None:
    import httpx

    specs = [
        {"vehicle_id": 89943, "vin": VIN_OK, "make": "Audi", "model": "Q5", "office": OFFICE},
        {"vehicle_id": 89944, "vin": VIN_BUSY, "make": "Audi", "model": "A4", "office": OFFICE},
    ]
    httpx.post(f"{sim_url}/_control/vehicles", json=specs).raise_for_status()


def served_schema() -> dict[str, Any]:
    """The OpenAPI document the service serves (the same in every configuration), fetched from it."""
    settings = Settings(
        storage_backend="memory",
        demo_data=False,
        fms=FmsSettings(sandbox="memory"),
        recovery=RecoverySettings(enabled=False),
    )
    with TestClient(app=create_app(build_container(settings))) as client:
        document: dict[str, Any] = client.get("/schema/openapi.json").raise_for_status().json()
    return document
