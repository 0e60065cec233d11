"""The real `media-scheduler serve` process on its embedded PostgreSQL: starts, serves, stops cleanly."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(url: str) -> tuple[int, dict[str, object]]:
    with urllib.request.urlopen(url, timeout=5) as response:
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
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "DATA_DIR": str(data_dir),
        "LOG_FORMAT": "json",
        "LC_ALL": "C.UTF-8",
        "FMS_SANDBOX_LATENCY_MS": "0",
    }
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "entrypoints.cli.main", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(f"{base}/healthz/db")[0] == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None, "serve exited early"
            assert time.monotonic() < deadline, "serve did not answer within 60 s"
            time.sleep(0.3)
        status, offices = _get(f"{base}/api/offices")
        assert status == 200
        assert [o["name"] for o in offices] == ["Los Angeles", "New York"]  # type: ignore[index]
        assert _postgres_running_in(data_dir)
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    # uvicorn shuts down gracefully, then re-raises the signal it caught: exit by SIGTERM is clean.
    assert proc.returncode in (0, -signal.SIGTERM), output.decode()[-2000:]
    assert b"embedded postgresql stopped" in output
    assert b"demo data loaded" in output
    for _ in range(50):
        if not _postgres_running_in(data_dir):
            break
        time.sleep(0.1)
    assert not _postgres_running_in(data_dir), "PostgreSQL left running after SIGTERM"
