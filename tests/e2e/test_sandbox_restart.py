"""The sandbox FMS across a restart of `media-scheduler serve`: earlier requests still exist, ids never
repeat (the simulator keeps its state under DATA_DIR beside the embedded PostgreSQL)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.process_support import free_port, wait_until_ok
from tests.waits import call_seconds, stop_seconds

PATCH = "/api/calendar/change-assignment-status/{}"
SANDBOX_DEFAULTS = ("DATABASE_URL", "STORAGE_BACKEND", "FMS_ENVIRONMENT", "FMS_SANDBOX", "AUTH_JWT_SECRET")


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """A data directory under /tmp (PostgreSQL refuses data under /root when run by its own user)."""
    root = Path(tempfile.mkdtemp(prefix="ms-restart-", dir="/tmp"))
    yield root / "data"
    shutil.rmtree(root, ignore_errors=True)


@contextmanager
def serving(data_dir: Path) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """`serve` in the sandbox on data_dir: a client on the service and one on its FMS simulator."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in SANDBOX_DEFAULTS}
    env |= {"PORT": str(port), "DATA_DIR": str(data_dir), "LOG_FORMAT": "json", "LC_ALL": "C.UTF-8"}
    env |= {"FMS_SANDBOX_LATENCY_MS": "0", "RECOVERY_ENABLED": "false"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "entrypoints.cli.main", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_ok(f"http://127.0.0.1:{port}/healthz/db", proc)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=call_seconds()) as service:
            sim_url = service.get("/api/fms/config").json()["base_url"].split()[0]
            with httpx.Client(base_url=sim_url, timeout=call_seconds()) as sim:
                yield service, sim
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=stop_seconds())
    assert proc.returncode in (0, -signal.SIGTERM), output.decode()[-2000:]


def held(sim: httpx.Client) -> dict[int, str]:
    """What the sandbox FMS holds: id -> requestor notes."""
    return {r["id"]: r["requestorNotes"] for r in sim.get("/_control/requests").json()["requests"]}


def test_the_sandbox_fms_keeps_its_requests_and_ids_across_a_restart(data_dir: Path) -> None:
    with serving(data_dir) as (service, sim):
        first = service.patch(PATCH.format(1), params={"new_status": "requested"})
        assert first.status_code == 200, first.text
        first_id = first.json()["fms_request_id"]
        before = held(sim)
        assert first_id in before

    with serving(data_dir) as (service, sim):
        assert held(sim) == before  # the request made before the restart still exists, as it was
        second = service.patch(PATCH.format(2), params={"new_status": "requested"})
        assert second.status_code == 200, second.text
        second_id = second.json()["fms_request_id"]
        assert second_id not in before
        assert second_id > first_id
        unrequested = service.patch(PATCH.format(1), params={"new_status": "planned"})
        assert unrequested.status_code == 200, unrequested.text
        assert set(held(sim)) == {second_id}  # it deleted the earlier request, not the new one
        again = service.patch(PATCH.format(1), params={"new_status": "requested"})
        assert again.json()["fms_request_id"] not in (first_id, second_id)
