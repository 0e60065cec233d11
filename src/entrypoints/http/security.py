"""The security layer create_app installs: guards, response headers, CORS, body limit, OpenAPI scheme."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litestar.config.cors import CORSConfig
from litestar.openapi.spec import Components, SecurityScheme

from entrypoints.http.auth import Authenticator, authentication_guard, build_authenticator, role_guard
from entrypoints.http.rate_limit import RateLimiter, rate_limit_guard
from entrypoints.http.security_headers import BeforeSend, cors_config, security_headers_hook
from entrypoints.settings.service import ConfigError, Settings

BEARER_SCHEME = "BearerToken"
OPENAPI_COMPONENTS = Components(
    security_schemes={
        BEARER_SCHEME: SecurityScheme(
            type="http",
            scheme="bearer",
            bearer_format="JWT",
            description="A JWT signed by FMS (README: Authentication); /healthz and /schema need none",
        )
    }
)
OPENAPI_SECURITY: list[dict[str, list[str]]] = [{BEARER_SCHEME: []}]


@dataclass(frozen=True)
class SecurityLayer:
    """What the Litestar app needs to enforce the security settings."""

    guards: list[Any]
    before_send: list[BeforeSend]
    cors_config: CORSConfig | None
    max_body_bytes: int
    authenticate: Authenticator  # also for routes that guard themselves (/metrics)
    limiter: RateLimiter = field(repr=False, compare=False, default_factory=lambda: RateLimiter(0))


def security_layer(settings: Settings) -> SecurityLayer:
    """Guards in order (authenticate, roles, FMS rate limit), headers, CORS; refuses an unsafe setup."""
    security = settings.security
    if settings.fms.environment != "sandbox" and not security.auth.enabled:
        raise ConfigError(f"FMS_ENVIRONMENT={settings.fms.environment} cannot serve without authentication")
    limiter = RateLimiter(security.rate_limit_fms_per_minute)
    authenticate = build_authenticator(settings)
    return SecurityLayer(
        guards=[authentication_guard(authenticate), role_guard, rate_limit_guard(limiter)],
        before_send=[security_headers_hook(security)],
        cors_config=cors_config(security),
        max_body_bytes=security.max_body_bytes,
        authenticate=authenticate,
        limiter=limiter,
    )
