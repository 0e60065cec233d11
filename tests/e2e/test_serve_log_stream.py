"""`media-scheduler serve` with LOG_FORMAT=json: one JSON object per line for everything (uvicorn's,
httpx's and the service's own records), secrets never shown; and the sandbox simulator pushing an
approval to the service's webhook, so the assignment turns active without a sync."""

from __future__ import annotations

import json
import signal
import subprocess
import urllib.request
from typing import Any

from tests.process_support import free_port, start_serve, wait_until_ok
from tests.waits import call_seconds, stop_seconds

METRICS_TOKEN = "metrics-token-never-logged-4711"


def _call(method: str, url: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url, method=method, headers=headers or {})
    with urllib.request.urlopen(request, timeout=call_seconds()) as response:
        raw = response.read()
        is_json = response.headers.get_content_type() == "application/json"
        return response.status, json.loads(raw) if is_json else raw.decode()


def _exercise(base: str) -> dict[str, Any]:
    """A Request, its approval in the simulator's control API, and a scrape; what was seen."""
    _, requested = _call("PATCH", f"{base}/api/calendar/change-assignment-status/1?new_status=requested")
    _, config = _call("GET", f"{base}/api/fms/config")
    simulator = config["base_url"].split()[0]
    fms_id = requested["fms_request_id"]
    _, approved = _call("POST", f"{simulator}/_control/requests/{fms_id}/approve")
    _, after = _call("GET", f"{base}/api/assignments/1")
    _, metrics = _call("GET", f"{base}/metrics", {"Authorization": f"Bearer {METRICS_TOKEN}"})
    return {"requested": requested, "approved": approved, "after": after, "metrics": metrics}


def test_serve_logs_one_json_stream_and_shows_a_sandbox_approval_at_once() -> None:
    port = free_port()
    env = {
        "PORT": str(port),
        "STORAGE_BACKEND": "memory",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "info",
        "LC_ALL": "C.UTF-8",
        "FMS_SANDBOX_LATENCY_MS": "0",
        "RECOVERY_ENABLED": "false",
        "METRICS_TOKEN": METRICS_TOKEN,
    }
    # the sandbox makes its webhook secret up
    proc = start_serve(
        env, without=("DATABASE_URL", "FMS_WEBHOOK_SECRET"), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ok(f"{base}/healthz", proc)
        seen = _exercise(base)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=stop_seconds(embedded_postgres=False))
    assert seen["requested"]["new_status"] == "requested"
    assert seen["approved"]["webhook"]["status"] == 200, seen["approved"]
    assert seen["after"]["assignment"]["status"] == "active"  # no sync ran
    assert seen["after"]["assignment"]["activity_id"] == seen["approved"]["activity_id"]
    assert 'media_scheduler_fms_calls_total{call="create",outcome="success"} 1.0' in seen["metrics"]

    lines = [line for line in (out + err).decode().splitlines() if line.strip()]
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            raise AssertionError(f"not a JSON line: {line!r}") from None
    loggers = {r.get("logger") for r in records}
    assert {"uvicorn.error", "httpx", "media_scheduler.access", "media_scheduler.fms_webhook"} <= loggers
    assert any("Uvicorn running on" in r["event"] for r in records)
    fms_calls = [r for r in records if r.get("logger") == "httpx" and "vehicle_requests" in r["event"]]
    assert fms_calls
    assert all(r.get("request_id") for r in fms_calls)  # the request id of the Request that made it
    text = (out + err).decode()
    assert METRICS_TOKEN not in text
    assert "sha256=" not in text
