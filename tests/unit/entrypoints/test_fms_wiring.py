"""The container's FMS wiring: the sandbox simulator lives and dies with the container's resources."""

from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from adapters.fms_http.client import FmsEndpoint
from adapters.fms_http.gateway import HttpFmsGateway
from adapters.fms_http.secret import Secret
from adapters.memory.fms_gateway import MemoryFmsGateway
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.service import RecoverySettings, Settings
from entrypoints.wiring.container import build_container, resolve
from entrypoints.wiring.fms import SANDBOX_STATE_FILE, run_sandbox_simulator, sandbox_state_path
from fms_simulator.server import SimulatorServer
from tests.unit.adapters.test_fms_http_wire import known_request


def accepts_connections(host: str, port: int) -> bool:
    """True when something listens on host:port."""
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, port)) == 0


async def test_the_sandbox_simulator_runs_while_the_resources_live() -> None:
    settings = Settings(
        storage_backend="memory",
        fms=FmsSettings(sandbox="simulator", sandbox_latency_ms=7),
        recovery=RecoverySettings(enabled=False),
    )
    container = build_container(settings)
    await container.init_resources()  # type: ignore[misc]
    try:
        simulator: SimulatorServer = await resolve(container.fms_simulator)
        gateway = await resolve(container.fms_gateway)
        assert isinstance(gateway, HttpFmsGateway)
        assert gateway.base_url == simulator.url
        assert simulator.host == "127.0.0.1"
        assert simulator.sim.faults.latency_ms == 7  # FMS_SANDBOX_LATENCY_MS
        assert simulator.sim.token is not None  # the real wire path: a token, made up per process
        assert (await gateway.delete_request(123)).status_code == 404  # over the wire: unknown = done
        async with httpx.AsyncClient(base_url=simulator.url) as plain:
            assert (await plain.get("/api/v1/vehicle_requests/1")).status_code == 401
        host, port = simulator.host, simulator.port
        assert accepts_connections(host, port)
    finally:
        await container.shutdown_resources()  # type: ignore[misc]
    assert not accepts_connections(host, port)


@pytest.mark.parametrize("environment", ["memory", "staging"])
async def test_no_simulator_unless_the_sandbox_asks_for_it(environment: str) -> None:
    if environment == "memory":
        settings = Settings(
            storage_backend="memory",
            fms=FmsSettings(sandbox="memory"),
            recovery=RecoverySettings(enabled=False),
        )
    else:
        settings = Settings(
            storage_backend="memory",
            fms=FmsSettings(environment="staging", base_url="http://127.0.0.1:9", token=Secret("t")),
            recovery=RecoverySettings(enabled=False),
        )
    container = build_container(settings)
    await container.init_resources()  # type: ignore[misc]
    try:
        assert await resolve(container.fms_simulator) is None
        gateway = await resolve(container.fms_gateway)
        assert isinstance(gateway, MemoryFmsGateway if environment == "memory" else HttpFmsGateway)
    finally:
        await container.shutdown_resources()  # type: ignore[misc]


def test_the_sandbox_keeps_its_fms_under_data_dir_only_beside_the_embedded_postgres(tmp_path: Path) -> None:
    on_postgres = Settings(
        storage_backend="postgres", data_dir=tmp_path / "data", fms=FmsSettings(sandbox="memory")
    )
    assert sandbox_state_path(on_postgres) == (tmp_path / "data").resolve() / SANDBOX_STATE_FILE
    assert (
        sandbox_state_path(
            Settings(storage_backend="memory", data_dir=tmp_path, fms=FmsSettings(sandbox="memory"))
        )
        is None
    )
    external = Settings(
        storage_backend="postgres",
        database_url="postgresql://db/x",
        data_dir=tmp_path,
        fms=FmsSettings(sandbox="memory"),
    )
    assert sandbox_state_path(external) is None  # its state would outlive (or miss) that database


async def test_the_sandbox_simulator_holds_its_requests_across_restarts(tmp_path: Path) -> None:
    # Postgres storage would start a database: only the simulator's resource is used here.
    settings = Settings(
        storage_backend="postgres",
        data_dir=tmp_path / "data",
        fms=FmsSettings(sandbox="simulator", sandbox_latency_ms=0),
    )
    request = replace(known_request(), vehicle_id=80001)  # a vehicle of the sandbox's generated fleet
    runs = []
    for _ in range(2):
        resource = run_sandbox_simulator(settings)
        simulator = await anext(resource)
        assert simulator is not None
        async with httpx.AsyncClient(base_url=simulator.url) as client:
            endpoint = FmsEndpoint(simulator.url, Secret(simulator.sim.token or ""))
            gateway = HttpFmsGateway(client, endpoint)
            created = await gateway.create_request(request)
            runs.append((created.fms_request_id, set(simulator.sim.requests)))
        assert await anext(resource, None) is None  # the resource ends: server stopped, state closed
    (first_id, _), (second_id, held_after_restart) = runs
    assert first_id is not None
    assert second_id is not None
    assert second_id > first_id
    assert held_after_restart == {first_id, second_id}
    assert (tmp_path / "data" / SANDBOX_STATE_FILE).is_file()
