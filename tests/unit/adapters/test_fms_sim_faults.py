"""FmsFault injection of the simulator, down to TCP: dropped and reset connections really carry no answer."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import pytest

from fms_simulator.server import SimulatorServer
from tests.fms_support import SIM_TOKEN, running_simulator
from tests.unit.adapters.test_fms_sim_api import AUTH, PATH, body

Sim = tuple[SimulatorServer, httpx.AsyncClient]


@pytest.fixture
async def sim() -> AsyncIterator[Sim]:
    """A running simulator and a plain client on it."""
    async with running_simulator() as server, httpx.AsyncClient(base_url=server.url, timeout=5) as client:
        yield server, client


async def fault(client: httpx.AsyncClient, **spec: object) -> None:
    """Arrange a fault through the control API."""
    r = await client.post("/_control/faults", json=spec)
    assert r.status_code == 201, r.text


async def raw_create(server: SimulatorServer) -> bytes:
    """Send one create over a bare TCP connection; everything the server wrote before closing it."""
    payload = json.dumps(body()).encode()
    head = (
        f"POST {PATH} HTTP/1.1\r\nHost: sim\r\nAuthorization: Token {SIM_TOKEN}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\nConnection: close\r\n\r\n"
    )
    reader, writer = await asyncio.open_connection(server.host, server.port)
    try:
        writer.write(head.encode() + payload)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), timeout=5)  # until the server closes
    finally:
        writer.close()


async def test_a_normal_answer_over_bare_tcp(sim: Sim) -> None:
    server, _ = sim
    assert (await raw_create(server)).startswith(b"HTTP/1.1 201 ")


@pytest.mark.parametrize(("mode", "stored"), [("drop", 0), ("commit_then_drop", 1)])
async def test_drop_closes_the_connection_without_a_single_byte(sim: Sim, mode: str, stored: int) -> None:
    server, client = sim
    await fault(client, mode=mode)
    assert await raw_create(server) == b""  # EOF first: no status line, not even a 500
    assert len(server.sim.requests) == stored


async def test_reset_aborts_the_connection_with_a_tcp_reset(sim: Sim) -> None:
    server, client = sim
    await fault(client, mode="reset")
    with pytest.raises(ConnectionResetError):
        await raw_create(server)
    assert server.sim.requests == {}


async def test_the_server_keeps_serving_after_a_drop(sim: Sim) -> None:
    server, client = sim
    await fault(client, mode="drop")
    assert await raw_create(server) == b""
    assert (await client.post(PATH, json=body(), headers=AUTH)).status_code == 201


async def test_fail_next_counts_calls_down(sim: Sim) -> None:
    server, client = sim
    await fault(client, mode="error", status=503, fail_next=2)
    statuses = [(await client.post(PATH, json=body(), headers=AUTH)).status_code for _ in range(3)]
    assert statuses == [503, 503, 201]
    assert len(server.sim.requests) == 1
    assert (await client.get("/_control/faults")).json()["rules"] == []


async def test_a_vehicle_fault_hits_only_that_vehicle_until_reset(sim: Sim) -> None:
    server, client = sim
    await fault(client, vehicle_id=80002, status=500, detail="Vehicle service down")
    other = body(requests_vehicles=[{"vehicle_id": 80002, "notes": ""}])
    for _ in range(2):
        r = await client.post(PATH, json=other, headers=AUTH)
        assert (r.status_code, r.json()) == (500, {"errors": [{"detail": "Vehicle service down"}]})
    assert (await client.post(PATH, json=body(), headers=AUTH)).status_code == 201
    await client.post("/_control/reset")
    assert (await client.post(PATH, json=other, headers=AUTH)).status_code == 201
    assert len(server.sim.requests) == 1  # reset forgot the first one


async def test_a_fault_by_vin_and_only_for_deletes(sim: Sim) -> None:
    server, client = sim
    vehicle = server.sim.world.vehicle_by_id(80001)
    assert vehicle is not None
    await fault(client, vin=vehicle.vin.lower(), calls=["delete"], mode="commit_then_fail", status=502)
    fms_id = (await client.post(PATH, json=body(), headers=AUTH)).json()["request"]["id"]
    assert (await client.delete(f"{PATH}/{fms_id}", headers=AUTH)).status_code == 502
    assert server.sim.requests == {}  # it was deleted all the same


async def test_commit_then_hang_stores_then_never_answers(sim: Sim) -> None:
    server, client = sim
    await fault(client, mode="commit_then_hang")
    with pytest.raises(httpx.ReadTimeout):
        await client.post(PATH, json=body(), headers=AUTH, timeout=0.3)
    assert len(server.sim.requests) == 1


async def test_latency_delays_every_api_call(sim: Sim) -> None:
    _, client = sim
    await fault(client, latency_ms=150)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await client.post(PATH, json=body(), headers=AUTH)
    assert loop.time() - started >= 0.15
    await client.post("/_control/reset")
    assert (await client.get("/_control/faults")).json() == {"latency_ms": 0, "rules": []}


@pytest.mark.parametrize(
    ("spec", "status"),
    [({"status": 42, "mode": "error"}, 422), ({"vin": "NOSUCHVIN"}, 404), ({"colour": "red"}, 400)],
)
async def test_bad_fault_specs_are_refused(sim: Sim, spec: dict[str, object], status: int) -> None:
    _, client = sim
    assert (await client.post("/_control/faults", json=spec)).status_code == status
    assert (await client.get("/_control/faults")).json()["rules"] == []
