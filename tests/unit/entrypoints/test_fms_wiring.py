"""The container's FMS wiring: the sandbox simulator lives and dies with the container's resources."""

from __future__ import annotations

import socket

import httpx
import pytest

from adapters.fms_http.gateway import HttpFmsGateway
from adapters.fms_http.secret import Secret
from adapters.fms_sim.server import SimulatorServer
from adapters.memory.fms_gateway import MemoryFmsGateway
from entrypoints.config import Settings
from entrypoints.container import build_container, resolve


def accepts_connections(host: str, port: int) -> bool:
    """True when something listens on host:port."""
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, port)) == 0


async def test_the_sandbox_simulator_runs_while_the_resources_live() -> None:
    settings = Settings(
        storage_backend="memory", fms_sandbox="simulator", fms_sandbox_latency_ms=7, recovery_enabled=False
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
        settings = Settings(storage_backend="memory", fms_sandbox="memory", recovery_enabled=False)
    else:
        settings = Settings(
            storage_backend="memory",
            fms_environment="staging",
            fms_base_url="http://127.0.0.1:9",
            fms_token=Secret("t"),
            recovery_enabled=False,
        )
    container = build_container(settings)
    await container.init_resources()  # type: ignore[misc]
    try:
        assert await resolve(container.fms_simulator) is None
        gateway = await resolve(container.fms_gateway)
        assert isinstance(gateway, MemoryFmsGateway if environment == "memory" else HttpFmsGateway)
    finally:
        await container.shutdown_resources()  # type: ignore[misc]
