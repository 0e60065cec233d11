"""The FMS token never reaches a log line (structlog or stdlib, httpx's own included) nor any answer."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import structlog

from entrypoints.wiring.container import resolve
from entrypoints.wiring.logging_setup import configure_logging
from tests.e2e.fms_envs import FmsEnv, fms_env
from tests.e2e.world import schedule
from tests.fms_support import SIM_TOKEN

PATCH = "/api/calendar/change-assignment-status/{}"
WRONG_TOKEN = "wrong-fms-token-5d1c0e9ab27f4463"


@pytest.fixture
def captured_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every stdlib logger at DEBUG; structlog's configuration put back afterwards."""
    saved = structlog.get_config()
    caplog.set_level(logging.DEBUG)
    try:
        yield caplog
    finally:
        structlog.configure(**saved)


@contextmanager
def listening(handler: logging.Handler) -> Iterator[None]:
    """Hear the root logger at DEBUG: Litestar's default logging config replaces its handlers (pytest's
    capture included) and level when an app is built, so the capture is attached again afterwards."""
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


async def full_flow(env: FmsEnv) -> list[str]:
    """Request, unrequest, delete and every kind of FMS failure; every answer body, in order."""
    bodies: list[str] = []
    client = env.client
    aid = await schedule(client)
    for status in ("requested", "planned", "requested"):
        bodies.append((await client.patch(PATCH.format(aid), params={"new_status": status})).text)
    bodies.append((await client.delete(f"/api/calendar/delete-assignment/{aid}")).text)
    async with env.control() as control:
        for spec in (
            {"mode": "error", "status": 422, "detail": "Start date is invalid"},
            {"mode": "error", "status": 401, "detail": "Access denied"},
            {"mode": "error", "status": 500},
        ):
            other = await schedule(client, start="2027-01-04")
            (await control.post("/_control/faults", json=spec)).raise_for_status()
            answer = await client.patch(PATCH.format(other), params={"new_status": "requested"})
            assert answer.status_code >= 400
            bodies.append(answer.text)
            await control.post("/_control/reset")
            await client.delete(f"/api/calendar/delete-assignment/{other}")
    bodies.append((await client.get("/api/fms/config")).text)
    return bodies


async def test_a_full_flow_logs_and_answers_without_the_token(
    captured_logs: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("DEBUG", "json")  # here: capsys swaps sys.stderr between setup and call
    async with fms_env("staging") as env:
        with listening(captured_logs.handler):
            bodies = await full_flow(env)
        settings = await resolve(env.container.settings)
        gateway = await resolve(env.container.fms_gateway)
        async with env.factory() as uow:
            errors = [o.error or "" for o in await uow.operations.for_assignment(1)]
    async with fms_env("staging", app_token=WRONG_TOKEN) as refused:
        aid = await schedule(refused.client)
        with listening(captured_logs.handler):
            answer = await refused.client.patch(PATCH.format(aid), params={"new_status": "requested"})
        assert answer.status_code == 502
        bodies.append(answer.text)
    out = capsys.readouterr()
    records = [f"{r.getMessage()} {r.__dict__}" for r in captured_logs.records]
    everything = [
        out.out,
        out.err,
        captured_logs.text,
        *records,
        *bodies,
        *errors,
        repr(settings),
        repr(gateway),
    ]

    assert '"event": "fms call"' in out.err  # structlog's JSON lines were captured
    assert any(r.name == "httpx" for r in captured_logs.records)  # httpx's own logger was listening
    assert any(r.name.startswith("httpcore") for r in captured_logs.records)
    assert "Start date is invalid" in bodies[4]
    assert "refused our credentials" in bodies[-1]
    for token in (SIM_TOKEN, WRONG_TOKEN):
        leaks = [text[:200] for text in everything if token in text]
        assert leaks == [], f"the FMS token leaked into: {leaks}"
