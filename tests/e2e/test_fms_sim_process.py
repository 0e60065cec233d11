"""`media-scheduler fms-sim` as a process: serves FMS on its port, checks the token, stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.process_support import free_port
from tests.waits import start_seconds, stop_seconds

TOKEN = "cli-sim-token-0a9b8c7d"


def _wait_until_listening(port: int, proc: subprocess.Popen[bytes]) -> None:
    within = start_seconds(embedded_postgres=False)
    deadline = time.monotonic() + within
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        assert proc.poll() is None, "fms-sim exited early"
        assert time.monotonic() < deadline, f"fms-sim did not listen within {within:g} s"
        time.sleep(0.05)  # waiting for another process to bind: nothing to await


def test_fms_sim_command_serves_the_api_and_reports_then_stops() -> None:
    port = free_port()
    command = [sys.executable, "-m", "entrypoints.cli.main", "fms-sim", "--port", str(port)]
    command += ["--token", TOKEN, "--scale", "0.01", "--seed", "3", "--latency-ms", "0"]
    proc = subprocess.Popen(
        command, env={**os.environ, "LOG_FORMAT": "json"}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        _wait_until_listening(port, proc)
        base = f"http://127.0.0.1:{port}"
        body = {"request": {"requestor_id": 1949, "start_date": "12/01/26", "end_date": "12/08/26"}}
        body["request"]["requests_vehicles"] = [{"vehicle_id": 80001, "notes": ""}]
        created = httpx.post(
            f"{base}/api/v1/vehicle_requests", json=body, headers={"Authorization": f"Token {TOKEN}"}
        )
        assert created.status_code == 201, created.text
        bearer = httpx.post(
            f"{base}/api/v1/vehicle_requests", json=body, headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert (bearer.status_code, bearer.json()) == (401, {"errors": [{"detail": "Access denied"}]})
        assert len(httpx.get(f"{base}/_control/requests").json()["requests"]) == 1
        vehicles = httpx.get(f"{base}/reports/vehicles.csv").text.splitlines()
        assert len(vehicles) == 10
        assert vehicles[1].startswith("80001,")
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=stop_seconds(embedded_postgres=False))
    assert proc.returncode in (0, -signal.SIGTERM), output.decode()[-2000:]
    assert b"fms simulator listening" in output
    assert TOKEN.encode() not in output


def test_fms_sim_with_a_state_file_holds_its_requests_across_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "sim" / "state.sqlite3"
    body = {"request": {"requestor_id": 1949, "start_date": "12/01/26", "end_date": "12/08/26"}}
    ids: list[int] = []
    held: list[set[int]] = []
    for _ in range(2):
        port = free_port()
        command = [sys.executable, "-m", "entrypoints.cli.main", "fms-sim", "--port", str(port)]
        command += ["--token", TOKEN, "--scale", "0.01", "--state", str(state)]
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_until_listening(port, proc)
            base = f"http://127.0.0.1:{port}"
            held.append({r["id"] for r in httpx.get(f"{base}/_control/requests").json()["requests"]})
            created = httpx.post(
                f"{base}/api/v1/vehicle_requests", json=body, headers={"Authorization": f"Token {TOKEN}"}
            )
            ids.append(created.json()["request"]["id"])
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=stop_seconds(embedded_postgres=False))
    assert held == [set(), {ids[0]}]
    assert ids[1] > ids[0]
