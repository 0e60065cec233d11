"""The FMS settings: which FMS (sandbox, staging, production), where, with which token, how long a call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import httpx

from adapters.fms_http.secret import Secret
from entrypoints.settings.env import boolean, choice, fail, integer, number, optional_id, text

FMS_ENVIRONMENTS = ("sandbox", "staging", "production")
SANDBOX_KINDS = ("simulator", "memory")
SANDBOX_REQUESTOR_ID = 1949
STAGING_REQUESTOR_ID = 1949


@dataclass(frozen=True)
class FmsSettings:
    """Which FMS the service talks to and how (README: Configuration, the FMS_* variables).

    The defaults are those of an empty environment: the sandbox runs the FMS simulator. Code that
    wants the in-memory fake (the unit tests) says `sandbox="memory"`.
    """

    environment: str = "sandbox"
    sandbox: str = "simulator"  # FMS_SANDBOX: the simulator over HTTP, or the in-memory fake
    sandbox_latency_ms: int = 150
    default_requestor_id: int | None = SANDBOX_REQUESTOR_ID
    activity_type_id: int = 1
    base_url: str | None = None  # staging / production only
    token: Secret | None = None  # staging / production only; shows as '***'
    timeout_seconds: float = 10.0
    connect_timeout_seconds: float = 5.0
    lookup_enabled: bool = True

    @property
    def longest_call_seconds(self) -> float:
        """The longest an FMS call may take: connecting, then the call."""
        return self.timeout_seconds + self.connect_timeout_seconds

    @property
    def in_memory(self) -> bool:
        """True when FMS is the in-memory fake (sandbox with FMS_SANDBOX=memory)."""
        return self.environment == "sandbox" and self.sandbox == "memory"

    @property
    def runs_simulator(self) -> bool:
        """True when this process runs the FMS simulator as its sandbox."""
        return self.environment == "sandbox" and self.sandbox == "simulator"


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    value = number(env, name, default)
    if not 0 < value <= 600:
        fail(f"{name} must be more than 0 and at most 600 seconds, got {text(env, name)}")
    return value


def _base_url(env: Mapping[str, str], name: str) -> str:
    raw = text(env, name)
    if raw is None:
        fail(f"{name} is required")
    try:
        url = httpx.URL(raw)
    except httpx.InvalidURL:
        fail(f"{name} is not a valid URL")
    if url.scheme not in ("http", "https") or not url.host:
        fail(f"{name} must be an http:// or https:// URL with a host")
    if url.userinfo or url.query:
        fail(f"{name} must not carry credentials or a query; the token has its own variable")
    return raw.rstrip("/")


def _sandbox_latency(env: Mapping[str, str]) -> int:
    raw = text(env, "FMS_SANDBOX_LATENCY_MS")
    if raw is None:
        return 150
    try:
        value = int(raw)
    except ValueError:
        fail(f"FMS_SANDBOX_LATENCY_MS must be an integer, got {raw!r}")
    if value < 0:
        fail("FMS_SANDBOX_LATENCY_MS must not be negative")
    return value


def fms_from_env(env: Mapping[str, str]) -> FmsSettings:
    """The FMS settings; staging and production refuse to start without URL and token."""
    environment = choice(env, "FMS_ENVIRONMENT", "sandbox", FMS_ENVIRONMENTS)
    common = FmsSettings(
        environment=environment,
        timeout_seconds=_seconds(env, "FMS_TIMEOUT_SECONDS", 10.0),
        connect_timeout_seconds=_seconds(env, "FMS_CONNECT_TIMEOUT_SECONDS", 5.0),
        sandbox_latency_ms=_sandbox_latency(env),
        activity_type_id=integer(env, "FMS_ACTIVITY_TYPE_ID", 1),
        lookup_enabled=boolean(env, "FMS_LOOKUP_ENABLED", environment == "sandbox"),
    )
    if environment == "sandbox":
        return replace(
            common,
            sandbox=choice(env, "FMS_SANDBOX", "simulator", SANDBOX_KINDS),
            default_requestor_id=optional_id(env, "FMS_SANDBOX_REQUESTOR_ID", SANDBOX_REQUESTOR_ID),
        )
    prefix = f"FMS_{environment.upper()}"
    missing = [name for name in (f"{prefix}_URL", f"{prefix}_TOKEN") if text(env, name) is None]
    if missing:
        fail(f"FMS_ENVIRONMENT={environment} needs {' and '.join(missing)} (see README: Configuration)")
    token = text(env, f"{prefix}_TOKEN")
    assert token is not None
    default_requestor = STAGING_REQUESTOR_ID if environment == "staging" else None
    return replace(
        common,
        base_url=_base_url(env, f"{prefix}_URL"),
        token=Secret(token),
        default_requestor_id=optional_id(env, f"{prefix}_REQUESTOR_ID", default_requestor),
    )
