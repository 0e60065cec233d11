"""The FMS part of the settings: which FMS (sandbox, staging, production), where, with which token."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

import httpx

from adapters.fms_http.secret import Secret

FMS_ENVIRONMENTS = ("sandbox", "staging", "production")
SANDBOX_KINDS = ("simulator", "memory")
SANDBOX_REQUESTOR_ID = 1949
STAGING_REQUESTOR_ID = 1949


def _fail(message: str) -> NoReturn:
    from entrypoints.config import ConfigError  # config imports this module

    raise ConfigError(message)


def _text(env: Mapping[str, str], name: str) -> str | None:
    return env.get(name, "").strip() or None


def _int(env: Mapping[str, str], name: str, default: int | None) -> int | None:
    raw = _text(env, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        _fail(f"{name} must be an integer, got {raw!r}")
    if value <= 0:
        _fail(f"{name} must be a positive FMS user id, got {value}")
    return value


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = _text(env, name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        _fail(f"{name} must be a number of seconds, got {raw!r}")
    if not 0 < value <= 600:
        _fail(f"{name} must be more than 0 and at most 600 seconds, got {raw}")
    return value


def _choice(env: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = (_text(env, name) or default).lower()
    if raw not in choices:
        _fail(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return raw


def _base_url(env: Mapping[str, str], name: str) -> str:
    raw = _text(env, name)
    if raw is None:
        _fail(f"{name} is required")
    try:
        url = httpx.URL(raw)
    except httpx.InvalidURL:
        _fail(f"{name} is not a valid URL")
    if url.scheme not in ("http", "https") or not url.host:
        _fail(f"{name} must be an http:// or https:// URL with a host")
    if url.userinfo or url.query:
        _fail(f"{name} must not carry credentials or a query; the token has its own variable")
    return raw.rstrip("/")


def fms_settings_from_env(env: Mapping[str, str]) -> dict[str, Any]:
    """The FMS connection fields of Settings; staging and production refuse to start without URL and token."""
    environment = _choice(env, "FMS_ENVIRONMENT", "sandbox", FMS_ENVIRONMENTS)
    common: dict[str, Any] = {
        "fms_environment": environment,
        "fms_timeout_seconds": _seconds(env, "FMS_TIMEOUT_SECONDS", 10.0),
        "fms_connect_timeout_seconds": _seconds(env, "FMS_CONNECT_TIMEOUT_SECONDS", 5.0),
    }
    if environment == "sandbox":
        return common | {
            "fms_sandbox": _choice(env, "FMS_SANDBOX", "simulator", SANDBOX_KINDS),
            "fms_default_requestor_id": _int(env, "FMS_SANDBOX_REQUESTOR_ID", SANDBOX_REQUESTOR_ID),
        }
    prefix = f"FMS_{environment.upper()}"
    missing = [name for name in (f"{prefix}_URL", f"{prefix}_TOKEN") if _text(env, name) is None]
    if missing:
        _fail(f"FMS_ENVIRONMENT={environment} needs {' and '.join(missing)} (see README: Configuration)")
    token = _text(env, f"{prefix}_TOKEN")
    assert token is not None
    default_requestor = STAGING_REQUESTOR_ID if environment == "staging" else None
    return common | {
        "fms_base_url": _base_url(env, f"{prefix}_URL"),
        "fms_token": Secret(token),
        "fms_default_requestor_id": _int(env, f"{prefix}_REQUESTOR_ID", default_requestor),
    }
