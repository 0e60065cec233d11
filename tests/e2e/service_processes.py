"""Real `media-scheduler serve` processes on one PostgreSQL, talking to an FMS simulator as staging."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field

from entrypoints.settings.service import Settings
from tests.e2e.fms_envs import bearer, staging_env
from tests.fms_support import SIM_TOKEN
from tests.process_support import free_port, wait_until_ok
from tests.waits import start_seconds, stop_seconds


@dataclass
class ServiceProcess:
    """One service process; started on a free port, stopped or killed by the test."""

    dsn: str
    sim_url: str
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The service's base URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def settings(self) -> Settings:
        """The settings the process runs with."""
        return Settings.from_env(self.env)

    @property
    def env(self) -> dict[str, str]:
        """The process's environment."""
        return {
            **os.environ,
            **staging_env(self.sim_url, SIM_TOKEN),
            "STORAGE_BACKEND": "postgres",
            "DATABASE_URL": self.dsn,
            "PORT": str(self.port),
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "warning",
            "RATE_LIMIT_FMS_PER_MINUTE": "100000",
            **self.extra_env,
        }

    def start(self) -> ServiceProcess:
        """Start it and wait until its database answers."""
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "entrypoints.cli.main", "serve"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_ok(f"{self.url}/healthz/db", self.proc, timeout=start_seconds(embedded_postgres=False))
        return self

    def stop(self) -> None:
        """SIGTERM, then wait."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=stop_seconds(self.settings, embedded_postgres=False))

    def kill(self) -> None:
        """SIGKILL: no shutdown, no outcome recorded for calls under way."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=stop_seconds(self.settings, embedded_postgres=False))


def headers() -> dict[str, str]:
    """A scheduler's bearer token, as FMS mints it."""
    return {"Authorization": bearer()}
