"""How the container reaches FMS: the sandbox simulator, the endpoint, the pooled httpx client."""

from __future__ import annotations

import dataclasses
import secrets
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import msgspec
import structlog

from adapters.fms_http.client import FmsEndpoint, fms_client
from adapters.fms_http.secret import Secret
from application.ports import UnitOfWorkFactory
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.ops_paths import WEBHOOK_PATH
from entrypoints.settings.service import Settings
from entrypoints.wiring.demo_data import SANDBOX_WORLD_SEED
from fms_simulator.faults import FaultPlan
from fms_simulator.server import SimulatorServer
from fms_simulator.state import SimState
from fms_simulator.store import SimStore
from fms_simulator.webhook import WebhookTarget
from fms_simulator.world import SimVehicle, World

log = structlog.get_logger("media_scheduler.fms")

SANDBOX_STATE_FILE = "fms-sandbox.sqlite3"


def gateway_kind(settings: Settings) -> str:
    """'memory' for the in-memory sandbox fake, else 'http' (simulator, staging, production)."""
    if settings.fms.in_memory:
        return "memory"
    return "http"


def with_sandbox_webhook(settings: Settings) -> Settings:
    """In the sandbox with the simulator, a made-up per-process FMS_WEBHOOK_SECRET when none is set,
    so that the simulator can push its approvals to this service's webhook (README: FMS webhook)."""
    security = settings.security
    if not settings.fms.runs_simulator or security.fms_webhook_secret is not None:
        return settings
    made_up = Secret(secrets.token_urlsafe(32))
    return dataclasses.replace(settings, security=dataclasses.replace(security, fms_webhook_secret=made_up))


def sandbox_webhook(settings: Settings) -> WebhookTarget | None:
    """Where the simulator pushes approvals: this service's webhook on its own address."""
    secret = settings.security.fms_webhook_secret
    if secret is None:
        return None
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    host = f"[{host}]" if ":" in host else host
    return WebhookTarget(f"http://{host}:{settings.port}{WEBHOOK_PATH}", secret.reveal())


def sandbox_state_path(settings: Settings) -> Path | None:
    """Where the sandbox simulator keeps its requests and ids: in DATA_DIR beside the embedded
    PostgreSQL's files, so that the sandbox FMS lives exactly as long as the assignments do.

    With the memory backend the assignments die with the process, and so does the sandbox FMS; with an
    external DATABASE_URL the sandbox FMS stays in memory too (its ids still start from the clock).
    """
    if settings.storage_backend != "postgres" or settings.database_url is not None:
        return None
    return settings.data_dir.resolve() / SANDBOX_STATE_FILE


async def run_sandbox_simulator(settings: Settings) -> AsyncIterator[SimulatorServer | None]:
    """The FMS simulator on a free 127.0.0.1 port of this process (sandbox with the simulator only).

    Its requests and id sequence persist under DATA_DIR (see sandbox_state_path), so that a restart
    behaves like a real FMS: earlier requests still exist, ids never repeat. A fresh state starts its
    ids from the clock, above those of a sandbox that kept no state. Its token is made up per
    process: the real wire path, authentication included.
    """
    if not settings.fms.runs_simulator:
        yield None
        return
    path = sandbox_state_path(settings)
    state = SimState(
        World(seed=SANDBOX_WORLD_SEED),
        token=secrets.token_urlsafe(24),
        faults=FaultPlan(default_latency_ms=settings.fms.sandbox_latency_ms),
        first_id=int(time.time()),
        store=SimStore(path) if path is not None else None,
        webhook=sandbox_webhook(settings),
    )
    try:
        server = SimulatorServer(state)
        await server.start()
        log.info(
            "fms simulator started",
            url=server.url,
            control=f"{server.url}/_control/requests",
            state=str(path) if path else "in memory",
            requests_held=len(state.requests),
        )
        try:
            yield server
        finally:
            await server.stop()
            log.info("fms simulator stopped")
    finally:
        state.close()


def endpoint_for(fms: FmsSettings, simulator: SimulatorServer | None) -> FmsEndpoint | None:
    """Where the HTTP gateway calls: the sandbox simulator, or the configured staging/production FMS."""
    if simulator is not None:
        assert simulator.sim.token is not None
        return FmsEndpoint(simulator.url, Secret(simulator.sim.token))
    if fms.base_url is None or fms.token is None:
        return None
    return FmsEndpoint(fms.base_url, fms.token)


async def open_fms_http_client(
    fms: FmsSettings, endpoint: FmsEndpoint | None
) -> AsyncIterator[httpx.AsyncClient | None]:
    """The one pooled client of the process (None when FMS is the in-memory fake); closed at shutdown."""
    if endpoint is None:
        yield None
        return
    async with fms_client(
        endpoint,
        timeout_seconds=fms.timeout_seconds,
        connect_timeout_seconds=fms.connect_timeout_seconds,
    ) as client:
        yield client


class FmsDescription(msgspec.Struct):
    """GET /api/fms/config: which FMS this service talks to; never the token, nor its length."""

    environment: str
    base_url: str
    requestor_id: int | None
    token_configured: bool
    activity_type_id: int
    lookup_enabled: bool
    timeout_seconds: float
    connect_timeout_seconds: float


def describe_fms(fms: FmsSettings, endpoint: FmsEndpoint | None) -> FmsDescription:
    """What GET /api/fms/config shows."""
    if endpoint is None:
        base_url = "sandbox (in-memory fake, in-process)"
    elif fms.environment == "sandbox":
        base_url = f"{endpoint.base_url} (built-in FMS simulator)"
    else:
        base_url = endpoint.base_url
    return FmsDescription(
        environment=fms.environment,
        base_url=base_url,
        requestor_id=fms.default_requestor_id,
        token_configured=endpoint is not None,
        activity_type_id=fms.activity_type_id,
        lookup_enabled=fms.lookup_enabled,
        timeout_seconds=fms.timeout_seconds,
        connect_timeout_seconds=fms.connect_timeout_seconds,
    )


async def teach_sandbox_vehicles(simulator: SimulatorServer | None, uow_factory: UnitOfWorkFactory) -> int:
    """Make the sandbox simulator know every vehicle of the reference data (as the real FMS does)."""
    if simulator is None:
        return 0
    async with uow_factory() as uow:
        vehicles = await uow.reference.vehicles()
    simulator.sim.register(
        SimVehicle(
            -1, v.fms_vehicle_id, v.vin, v.year or 0, v.make or "", v.model or "", v.office, v.color or ""
        )
        for v in vehicles
        if v.fms_vehicle_id is not None
    )
    return len(vehicles)
