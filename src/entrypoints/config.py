"""Settings read from environment variables, with embedded defaults for a first run."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from adapters.fms_http.secret import Secret
from entrypoints.fms_settings import FMS_ENVIRONMENTS, SANDBOX_REQUESTOR_ID, fms_settings_from_env
from entrypoints.security_config import SecuritySettings, security_from_env
from entrypoints.sync_config import SyncSettings, sync_from_env

__all__ = ["FMS_ENVIRONMENTS", "SANDBOX_REQUESTOR_ID", "ConfigError", "Settings"]


class ConfigError(Exception):
    """A setting is missing or has a value that cannot be used."""


def _int(env: Mapping[str, str], name: str, default: int | None) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _positive(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}") from exc
    if value <= 0:
        raise ConfigError(f"{name} must be positive")
    return value


def _in_range(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    value = _int(env, name, default)
    assert value is not None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _choice(env: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = env.get(name, "").strip().lower() or default
    if raw not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return raw


@dataclass(frozen=True)
class Settings:
    """Every setting of the service (see README: Configuration)."""

    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path(".data")
    database_url: str | None = None
    storage_backend: str = "postgres"
    log_level: str = "INFO"
    log_format: str = "console"
    fms_environment: str = "sandbox"
    fms_sandbox_latency_ms: int = 150
    fms_default_requestor_id: int | None = SANDBOX_REQUESTOR_ID
    fms_activity_type_id: int = 1
    # FMS_ENVIRONMENT=sandbox runs the FMS simulator ("simulator", the default read from the
    # environment) or the in-memory fake ("memory", the default of Settings() built in code: tests).
    fms_sandbox: str = "memory"
    fms_base_url: str | None = None  # staging / production only
    fms_token: Secret | None = None  # staging / production only; shows as '***'
    fms_timeout_seconds: float = 10.0
    fms_connect_timeout_seconds: float = 5.0
    fms_max_concurrency: int = 8  # FMS calls under way at once in a bulk operation
    bulk_max_items: int = 500  # assignment ids accepted by one bulk call
    chain_max_slots: int = 200  # slots accepted by one chain or schedule save
    loan_max_days: int = 120  # longest loan a save accepts
    demo_data: bool = True
    dev_actor: str = "sandbox-dev"
    recovery_enabled: bool = True
    recovery_interval_seconds: float = 30.0
    recovery_stale_after_seconds: float = 120.0
    fms_lookup_enabled: bool = True
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
        fms = fms_settings_from_env(env)
        fms_environment: str = fms["fms_environment"]
        port = _int(env, "PORT", 8000)
        assert port is not None
        if not 0 < port < 65536:
            raise ConfigError(f"PORT must be between 1 and 65535, got {port}")
        latency = _int(env, "FMS_SANDBOX_LATENCY_MS", 150)
        assert latency is not None
        if latency < 0:
            raise ConfigError("FMS_SANDBOX_LATENCY_MS must not be negative")
        activity_type = _int(env, "FMS_ACTIVITY_TYPE_ID", 1)
        assert activity_type is not None
        default_format = "console" if sys.stderr.isatty() else "json"
        stale_after = _positive(env, "RECOVERY_STALE_AFTER_SECONDS", 120.0)
        longest_call = float(fms["fms_timeout_seconds"]) + float(fms["fms_connect_timeout_seconds"])
        if stale_after <= longest_call:
            # Otherwise the worker could settle an operation whose call is still under way.
            raise ConfigError(
                f"RECOVERY_STALE_AFTER_SECONDS ({stale_after:g}) must exceed the longest FMS call, "
                f"FMS_TIMEOUT_SECONDS + FMS_CONNECT_TIMEOUT_SECONDS ({longest_call:g})"
            )
        return cls(
            host=env.get("HOST", "").strip() or "127.0.0.1",
            port=port,
            data_dir=Path(env.get("DATA_DIR", "").strip() or ".data"),
            database_url=env.get("DATABASE_URL", "").strip() or None,
            storage_backend=_choice(env, "STORAGE_BACKEND", "postgres", ("postgres", "memory")),
            log_level=_choice(env, "LOG_LEVEL", "info", ("debug", "info", "warning", "error")).upper(),
            log_format=_choice(env, "LOG_FORMAT", default_format, ("json", "console")),
            fms_sandbox_latency_ms=latency,
            fms_activity_type_id=activity_type,
            **fms,
            demo_data=_bool(env, "DEMO_DATA", True),
            dev_actor=env.get("DEV_ACTOR", "").strip() or "sandbox-dev",
            # At most the HTTP client's pool (20 connections): more would only wait for a connection.
            fms_max_concurrency=_in_range(env, "FMS_MAX_CONCURRENCY", 8, 1, 20),
            bulk_max_items=_in_range(env, "BULK_MAX_ITEMS", 500, 1, 10_000),
            chain_max_slots=_in_range(env, "CHAIN_MAX_SLOTS", 200, 1, 5_000),
            loan_max_days=_in_range(env, "LOAN_MAX_DAYS", 120, 1, 3_660),
            recovery_enabled=_bool(env, "RECOVERY_ENABLED", True),
            recovery_interval_seconds=_positive(env, "RECOVERY_INTERVAL_SECONDS", 30.0),
            recovery_stale_after_seconds=stale_after,
            fms_lookup_enabled=_bool(env, "FMS_LOOKUP_ENABLED", fms_environment == "sandbox"),
            security=security_from_env(env, fms_environment=fms_environment),
            sync=sync_from_env(env, fms_environment=fms_environment),
        )
