"""The simulator's lookup faults: an answer ignoring its filter, and one page of an unfiltered listing."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from fms_simulator.server import SimulatorServer
from tests.fms_support import running_simulator
from tests.unit.adapters.test_fms_sim_api import AUTH, PATH, body

Sim = tuple[SimulatorServer, httpx.AsyncClient]


@pytest.fixture
async def sim() -> AsyncIterator[Sim]:
    """A running simulator holding three requests (ref-1, ref-2, ref-3), and a plain client on it."""
    async with running_simulator() as server, httpx.AsyncClient(base_url=server.url, timeout=5) as client:
        for n in (1, 2, 3):
            created = await client.post(PATH, json=body(requestor_notes=f"ref-{n}"), headers=AUTH)
            assert created.status_code == 201
        yield server, client


async def lookup(client: httpx.AsyncClient, notes: str) -> httpx.Response:
    """GET the listing filtered on requestor_notes."""
    return await client.get(PATH, params={"requestor_notes": notes}, headers=AUTH)


async def test_lookup_unfiltered_lists_everything_once(sim: Sim) -> None:
    _, client = sim
    assert (await client.post("/_control/faults", json={"mode": "lookup_unfiltered"})).status_code == 201
    listed = (await lookup(client, "ref-9")).json()["requests"]
    assert [r["request"]["requestorNotes"] for r in listed] == ["ref-1", "ref-2", "ref-3"]
    assert (await lookup(client, "ref-9")).json() == {"requests": []}  # the next one is filtered again


async def test_lookup_paged_answers_page_one_with_its_pagination(sim: Sim) -> None:
    _, client = sim
    fault = {"mode": "lookup_paged", "page_size": 2}
    assert (await client.post("/_control/faults", json=fault)).status_code == 201
    answer = await lookup(client, "ref-9")
    assert [r["request"]["requestorNotes"] for r in answer.json()["requests"]] == ["ref-1", "ref-2"]
    assert answer.json()["meta"] == {"current_page": 1, "per_page": 2, "total_pages": 2, "total_count": 3}
    assert answer.headers["x-total-count"] == "3"
    assert 'page=2&per_page=2>; rel="next"' in answer.headers["link"]


async def test_lookup_faults_pass_creates_and_deletes_by(sim: Sim) -> None:
    server, client = sim
    await client.post("/_control/faults", json={"mode": "lookup_paged", "fail_next": 1})
    assert (await client.post(PATH, json=body(requestor_notes="ref-4"), headers=AUTH)).status_code == 201
    assert len(server.sim.requests) == 4
    assert "meta" in (await lookup(client, "ref-4")).json()


@pytest.mark.parametrize(
    "spec",
    [
        {"mode": "lookup_unfiltered", "calls": ["create"]},
        {"mode": "lookup_paged", "calls": ["lookup", "delete"]},
        {"mode": "lookup_paged", "page_size": 0},
    ],
)
async def test_lookup_faults_only_for_lookups_and_with_a_page(sim: Sim, spec: dict[str, object]) -> None:
    _, client = sim
    assert (await client.post("/_control/faults", json=spec)).status_code == 422
