"""Security settings: authentication, CORS, framing, body size, FMS rate limit, report hosts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from adapters.csv_http.url_policy import UrlPolicy, UrlRefused
from adapters.fms_http.secret import Secret
from entrypoints.settings.auth import AuthSettings, auth_from_env
from entrypoints.settings.env import boolean, fail, integer, items

CSP_KEYWORDS = ("'self'", "'none'")


@dataclass(frozen=True)
class SecuritySettings:
    """Everything that decides who may call the service, from where, and how much."""

    auth: AuthSettings = field(default_factory=AuthSettings)
    cors_allow_origins: tuple[str, ...] = ()
    frame_ancestors: tuple[str, ...] = ("'self'",)
    embed_parent_origins: tuple[str, ...] = ()  # whose postMessage tokens the page takes (empty: framers)
    max_body_bytes: int = 1_000_000
    rate_limit_fms_per_minute: int = 120
    report_policy: UrlPolicy = field(default_factory=UrlPolicy)
    metrics_token: Secret | None = None  # a scraper's bearer token for GET /metrics; never logged
    fms_webhook_secret: Secret | None = None  # signs FMS's pushed events; the webhook exists only with it


def origin(raw: str, name: str, *, wildcard_subdomain: bool = False) -> str:
    """A normalised origin (scheme://host[:port]); ConfigError for anything else."""
    parts = urlsplit(raw)
    host = parts.hostname or ""
    if wildcard_subdomain and host.startswith("*."):
        host = host[2:]
    try:
        port = parts.port
    except ValueError:
        port = -1
    valid = (
        parts.scheme in ("https", "http")
        and host
        and "*" not in host
        and port != -1
        and parts.path in ("", "/")
        and not (parts.query or parts.fragment or parts.username or parts.password)
        and all(c.isalnum() or c in ".-:[]" for c in host)
    )
    if not valid:
        fail(f"{name} takes origins like https://fms.example.com (no path, no '*'), got {raw!r}")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def frame_ancestors(values: tuple[str, ...]) -> tuple[str, ...]:
    """The CSP frame-ancestors sources: 'self', 'none', or origins (https://*.example.com allowed)."""
    if not values:
        return ("'self'",)
    sources = tuple(
        v.lower() if v.lower() in CSP_KEYWORDS else origin(v, "FRAME_ANCESTORS", wildcard_subdomain=True)
        for v in values
    )
    if "'none'" in sources and len(sources) > 1:
        fail("FRAME_ANCESTORS: 'none' cannot be combined with other sources")
    return sources


def security_from_env(env: Mapping[str, str], *, fms_environment: str) -> SecuritySettings:
    """Read and check every security variable (see README: Security)."""
    cors = items(env, "CORS_ALLOW_ORIGINS")
    if "*" in cors:
        fail("CORS_ALLOW_ORIGINS must list the allowed origins; '*' is refused")
    try:
        report_policy = UrlPolicy.from_entries(
            items(env, "REPORT_HOSTS"),
            allow_http=boolean(env, "REPORT_ALLOW_HTTP", False),
            private_ok=items(env, "REPORT_PRIVATE_HOSTS"),
        )
    except UrlRefused as exc:
        fail(f"REPORT_HOSTS/REPORT_PRIVATE_HOSTS: {exc}")
    return SecuritySettings(
        auth=auth_from_env(env, fms_environment=fms_environment),
        cors_allow_origins=tuple(dict.fromkeys(origin(o, "CORS_ALLOW_ORIGINS") for o in cors)),
        frame_ancestors=frame_ancestors(items(env, "FRAME_ANCESTORS")),
        embed_parent_origins=tuple(
            origin(o, "EMBED_PARENT_ORIGINS", wildcard_subdomain=True)
            for o in items(env, "EMBED_PARENT_ORIGINS")
        ),
        max_body_bytes=integer(env, "MAX_BODY_BYTES", 1_000_000, low=1024, high=100_000_000),
        rate_limit_fms_per_minute=integer(env, "RATE_LIMIT_FMS_PER_MINUTE", 120, low=0, high=100_000),
        report_policy=report_policy,
        metrics_token=_secret(env, "METRICS_TOKEN"),
        fms_webhook_secret=_secret(env, "FMS_WEBHOOK_SECRET"),
    )


def _secret(env: Mapping[str, str], name: str) -> Secret | None:
    """An optional secret from the environment (unset or blank: None); it only ever shows as '***'."""
    value = env.get(name, "").strip()
    return Secret(value) if value else None
