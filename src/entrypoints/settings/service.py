"""The settings tree of the service: read once at start from the environment (README: Configuration)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from entrypoints.settings.env import (
    ConfigError,
    boolean,
    choice,
    fail,
    integer,
    positive,
    text,
)
from entrypoints.settings.fms import FmsSettings, fms_from_env
from entrypoints.settings.limits import LimitSettings, limits_from_env
from entrypoints.settings.security import SecuritySettings, security_from_env
from entrypoints.settings.sync import SyncSettings, sync_from_env

__all__ = ["ConfigError", "RecoverySettings", "Settings"]


@dataclass(frozen=True)
class RecoverySettings:
    """The recovery worker: whether it runs, how often, and when an operation counts as stale."""

    enabled: bool = True
    interval_seconds: float = 30.0
    stale_after_seconds: float = 120.0


@dataclass(frozen=True)
class Settings:
    """Every setting of the service: the process's own at the top, one branch per concern."""

    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path(".data")
    database_url: str | None = None
    db_pool_timeout_seconds: float = 10.0
    storage_backend: str = "postgres"
    log_level: str = "INFO"
    log_format: str = "console"
    demo_data: bool = True
    dev_actor: str = "sandbox-dev"
    shutdown_timeout_seconds: float = 20.0
    fms: FmsSettings = field(default_factory=FmsSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    recovery: RecoverySettings = field(default_factory=RecoverySettings)
    security: SecuritySettings = field(default_factory=SecuritySettings)
    sync: SyncSettings = field(default_factory=SyncSettings)

    @property
    def embedded_database(self) -> bool:
        """True when the service starts its own PostgreSQL (no DATABASE_URL, postgres backend)."""
        return self.storage_backend == "postgres" and not self.database_url

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read and check the settings; raise ConfigError with a clear message on bad values."""
        env = os.environ if env is None else env
        fms = fms_from_env(env)
        default_format = "console" if sys.stderr.isatty() else "json"
        return cls(
            host=text(env, "HOST") or "127.0.0.1",
            port=integer(env, "PORT", 8000, low=1, high=65535),
            data_dir=Path(text(env, "DATA_DIR") or ".data"),
            database_url=text(env, "DATABASE_URL"),
            db_pool_timeout_seconds=positive(env, "DB_POOL_TIMEOUT_SECONDS", 10.0),
            storage_backend=choice(env, "STORAGE_BACKEND", "postgres", ("postgres", "memory")),
            log_level=choice(env, "LOG_LEVEL", "info", ("debug", "info", "warning", "error")).upper(),
            log_format=choice(env, "LOG_FORMAT", default_format, ("json", "console")),
            demo_data=boolean(env, "DEMO_DATA", True),
            dev_actor=text(env, "DEV_ACTOR") or "sandbox-dev",
            shutdown_timeout_seconds=shutdown_timeout_from_env(env, fms),
            fms=fms,
            limits=limits_from_env(env),
            recovery=recovery_from_env(env, fms),
            security=security_from_env(env, fms_environment=fms.environment),
            sync=sync_from_env(env, fms_environment=fms.environment),
        )


def shutdown_timeout_from_env(env: Mapping[str, str], fms: FmsSettings) -> float:
    """SHUTDOWN_TIMEOUT_SECONDS: how long a stop waits for calls under way; by default the longest FMS call
    and 5 s more for storing its outcome."""
    seconds = positive(env, "SHUTDOWN_TIMEOUT_SECONDS", fms.longest_call_seconds + 5.0)
    if seconds > 600:
        fail(f"SHUTDOWN_TIMEOUT_SECONDS must be at most 600 seconds, got {seconds:g}")
    return seconds


def recovery_from_env(env: Mapping[str, str], fms: FmsSettings) -> RecoverySettings:
    """The RECOVERY_* variables; an operation may count as stale only after the longest FMS call."""
    stale_after = positive(env, "RECOVERY_STALE_AFTER_SECONDS", 120.0)
    if stale_after <= fms.longest_call_seconds:
        # Otherwise the worker could settle an operation whose call is still under way.
        fail(
            f"RECOVERY_STALE_AFTER_SECONDS ({stale_after:g}) must exceed the longest FMS call, "
            f"FMS_TIMEOUT_SECONDS + FMS_CONNECT_TIMEOUT_SECONDS ({fms.longest_call_seconds:g})"
        )
    return RecoverySettings(
        enabled=boolean(env, "RECOVERY_ENABLED", True),
        interval_seconds=positive(env, "RECOVERY_INTERVAL_SECONDS", 30.0),
        stale_after_seconds=stale_after,
    )
