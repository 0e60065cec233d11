"""`media-scheduler` commands as real processes in tests: a free port, the command, waiting for it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Collection, Mapping
from typing import IO

import httpx

from tests.waits import start_seconds


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_serve(
    env: Mapping[str, str],
    *,
    without: Collection[str] = ("DATABASE_URL",),
    stdout: int | IO[bytes] | None = subprocess.DEVNULL,
    stderr: int | IO[bytes] | None = subprocess.STDOUT,
) -> subprocess.Popen[bytes]:
    """`media-scheduler serve` with this process's environment, less `without`, plus env."""
    full = {name: value for name, value in os.environ.items() if name not in without} | dict(env)
    return subprocess.Popen(
        [sys.executable, "-m", "entrypoints.cli.main", "serve"], env=full, stdout=stdout, stderr=stderr
    )


def wait_until_ok(url: str, proc: subprocess.Popen[bytes], *, timeout: float | None = None) -> None:
    """Poll url until it answers 200; fail when the process exits first or the time runs out (by default
    the longest start of a `serve` on its embedded PostgreSQL)."""
    timeout = start_seconds() if timeout is None else timeout
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert proc.poll() is None, "the process exited while starting"
        assert time.monotonic() < deadline, f"{url} did not answer within {timeout:g} s"
        time.sleep(0.2)  # waiting for another process to start: nothing to await
