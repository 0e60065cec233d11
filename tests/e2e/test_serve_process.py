"""The real `media-scheduler serve` process on its embedded PostgreSQL: starts, serves, stops cleanly."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from adapters.postgres.embedded import PG_CTL_STOP_SECONDS
from tests.process_support import free_port, start_serve, wait_until_ok
from tests.waits import call_seconds, stop_seconds


def _get(url: str) -> tuple[int, dict[str, object]]:
    with urllib.request.urlopen(url, timeout=call_seconds()) as response:
        return response.status, json.loads(response.read())


def _postgres_running_in(data_dir: Path) -> bool:
    for proc in psutil.process_iter(attrs=["name", "cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if proc.info["name"] == "postgres" and str(data_dir) in cmdline:
            return True
    return False


@pytest.fixture
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory under /tmp (PostgreSQL refuses data under /root when run by its own user)."""
    path = Path(tmp_path_factory.mktemp("serve", numbered=True))
    if str(path).startswith("/root"):
        import tempfile

        path = Path(tempfile.mkdtemp(prefix="ms-serve-", dir="/tmp"))
    return path / "data"


def test_serve_starts_embedded_postgres_serves_demo_data_and_stops_on_sigterm(data_dir: Path) -> None:
    port = free_port()
    env = {
        "PORT": str(port),
        "DATA_DIR": str(data_dir),
        "LOG_FORMAT": "json",
        "LC_ALL": "C.UTF-8",
        "FMS_SANDBOX_LATENCY_MS": "0",
    }
    proc = start_serve(env, stdout=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ok(f"{base}/healthz/db", proc)
        status, offices = _get(f"{base}/api/offices")
        assert status == 200
        assert [o["name"] for o in offices] == ["Los Angeles", "New York"]  # type: ignore[index]
        assert _postgres_running_in(data_dir)
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=stop_seconds())
    # uvicorn shuts down gracefully, then re-raises the signal it caught: exit by SIGTERM is clean.
    assert proc.returncode in (0, -signal.SIGTERM), output.decode()[-2000:]
    assert b"embedded postgresql stopped" in output
    assert b"demo data loaded" in output
    deadline = time.monotonic() + PG_CTL_STOP_SECONDS  # its last processes may take a moment to exit
    while _postgres_running_in(data_dir):
        assert time.monotonic() < deadline, "PostgreSQL left running after SIGTERM"
        time.sleep(0.1)  # waiting for other processes to exit: nothing to await
