"""Authentication settings: how bearer JWTs are verified (see README: Authentication)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from entrypoints.settings.env import fail, integer, text

MIN_SECRET_LENGTH = 32  # HS256 needs a key of at least 256 bits
LOCAL_HOSTS = ("127.0.0.1", "::1", "localhost")
AUTH_VARIABLES = "AUTH_JWT_SECRET (HS256) or AUTH_JWKS_URL (RS256/ES256)"


@dataclass(frozen=True)
class AuthSettings:
    """Bearer-token verification; neither a secret nor a JWKS URL means authentication is off."""

    jwt_secret: str | None = field(default=None, repr=False)
    jwks_url: str | None = None
    issuer: str | None = None
    audience: str | None = None
    leeway_seconds: int = 30
    max_token_lifetime_seconds: int = 3600
    jwks_cache_seconds: int = 600

    @property
    def enabled(self) -> bool:
        """True when tokens are verified (a secret or a JWKS URL is configured)."""
        return bool(self.jwt_secret or self.jwks_url)

    @property
    def algorithms(self) -> tuple[str, ...]:
        """The only signature algorithms accepted: HS256 with a secret, RS256/ES256 with a JWKS."""
        return ("HS256",) if self.jwt_secret else ("RS256", "ES256")


def _jwks_url(raw: str | None) -> str | None:
    if raw is None:
        return None
    parts = urlsplit(raw)
    local = parts.hostname in LOCAL_HOSTS
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        fail("AUTH_JWKS_URL must be an https URL (plain http only for localhost)")
    if not parts.hostname or parts.username or parts.password:
        fail("AUTH_JWKS_URL must name a host and carry no credentials")
    return raw


def auth_from_env(env: Mapping[str, str], *, fms_environment: str) -> AuthSettings:
    """Read and check the AUTH_* variables; outside the sandbox, authentication is mandatory."""
    secret = text(env, "AUTH_JWT_SECRET")
    jwks_url = _jwks_url(text(env, "AUTH_JWKS_URL"))
    issuer = text(env, "AUTH_JWT_ISSUER")
    audience = text(env, "AUTH_JWT_AUDIENCE")
    if secret and jwks_url:
        fail("set either AUTH_JWT_SECRET or AUTH_JWKS_URL, not both")
    if secret is not None and len(secret) < MIN_SECRET_LENGTH:
        fail(f"AUTH_JWT_SECRET must be at least {MIN_SECRET_LENGTH} characters (a random 256-bit key)")
    settings = AuthSettings(
        jwt_secret=secret,
        jwks_url=jwks_url,
        issuer=issuer,
        audience=audience,
        leeway_seconds=integer(env, "AUTH_JWT_LEEWAY_SECONDS", 30, low=0, high=120),
        max_token_lifetime_seconds=integer(env, "AUTH_MAX_TOKEN_LIFETIME_SECONDS", 3600, low=60, high=86_400),
        jwks_cache_seconds=integer(env, "AUTH_JWKS_CACHE_SECONDS", 600, low=10, high=86_400),
    )
    if settings.enabled and not (issuer and audience):
        fail("authentication needs AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE, so that no other token is taken")
    if not settings.enabled and (issuer or audience):
        fail(f"AUTH_JWT_ISSUER/AUTH_JWT_AUDIENCE are set but no key is: set {AUTH_VARIABLES}")
    if not settings.enabled and fms_environment != "sandbox":
        fail(
            f"FMS_ENVIRONMENT={fms_environment} acts in FMS on behalf of people and refuses to start "
            f"without authentication: set {AUTH_VARIABLES}, AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE"
        )
    return settings
