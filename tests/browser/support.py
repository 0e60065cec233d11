"""What the browser tests run: a real `media-scheduler serve`, Chromium, parent pages on other origins."""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt

from tests.process_support import free_port, start_serve, wait_until_ok
from tests.waits import call_seconds, stop_seconds

JWT_SECRET = "browser-tests-jwt-secret-0123456789abcdef-0123"
ISSUER, AUDIENCE = "https://fms.example.com", "media-scheduler"
NO_CHROMIUM = "no Chromium found: apt-get install chromium (or set CHROMIUM_PATH to its executable)"


def chromium_path() -> str | None:
    """Debian's Chromium (Playwright's own download does not work here): CHROMIUM_PATH, else on PATH."""
    explicit = os.environ.get("CHROMIUM_PATH", "").strip()
    if explicit:
        return explicit if Path(explicit).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def mint(lifetime: int = 600, *, sub: str = "u-77", roles: tuple[str, ...] = ("scheduler", "admin")) -> str:
    """A token as FMS signs it for the calendar (iat now)."""
    now = int(time.time())
    claims = {"sub": sub, "email": f"{sub}@example.com", "roles": list(roles), "fms_user_id": 4242}
    claims |= {"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + lifetime}
    return jwt.encode(claims, JWT_SECRET, algorithm="HS256")


def get_json(url: str, token: str | None = None, method: str = "GET", body: Any = None) -> Any:
    """One JSON call."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=call_seconds()) as response:
        raw = response.read()
        return json.loads(raw) if raw else None


@dataclass(frozen=True)
class Service:
    """A running service and its sandbox FMS simulator."""

    base: str
    sim: str

    def held(self) -> dict[int, dict[str, Any]]:
        """What the simulator holds: assignment id (from the scheduler reference) -> request."""
        out: dict[int, dict[str, Any]] = {}
        for r in get_json(f"{self.sim}/_control/requests")["requests"]:
            if r.get("status") == "deleted":
                continue
            notes = r["requestorNotes"]
            out[int(notes.split("assignment=")[1].split(":")[0])] = r
        return out

    def sim_call(self, path: str, body: Any) -> Any:
        """POST to the simulator's control API."""
        return get_json(f"{self.sim}{path}", method="POST", body=body)


@contextmanager
def serve(**env: str) -> Iterator[Service]:
    """`media-scheduler serve` on memory storage with the demo data and the built-in FMS simulator."""
    port = free_port()
    data_dir = tempfile.mkdtemp(prefix="ms-browser-", dir="/tmp")
    proc = start_serve(
        {
            "PORT": str(port),
            "DATA_DIR": data_dir,
            "STORAGE_BACKEND": "memory",
            "FMS_SANDBOX_LATENCY_MS": "0",
            "LOG_FORMAT": "json",
            "LC_ALL": "C.UTF-8",
            **env,
        }
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ok(f"{base}/healthz", proc)
        token = mint() if "AUTH_JWT_SECRET" in env else None
        sim = get_json(f"{base}/api/fms/config", token)["base_url"].split()[0]
        yield Service(base, sim)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=stop_seconds(embedded_postgres=False))
        shutil.rmtree(data_dir, ignore_errors=True)


@contextmanager
def static_site(pages: dict[str, str], port: int = 0) -> Iterator[str]:
    """Serve fixed HTML pages on http://localhost:<port> (another origin than 127.0.0.1)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path.split("?")[0], "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
