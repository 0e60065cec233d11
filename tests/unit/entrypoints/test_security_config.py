"""Security settings from the environment: safe defaults, clear refusals, auth needed outside the sandbox."""

from __future__ import annotations

import pytest

from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.security import security_from_env
from entrypoints.settings.service import ConfigError, Settings

SECRET = "s" * 32
AUTH = {"AUTH_JWT_SECRET": SECRET, "AUTH_JWT_ISSUER": "https://fms.example.com", "AUTH_JWT_AUDIENCE": "ms"}


def test_defaults_are_the_sandbox_without_auth() -> None:
    s = Settings.from_env({}).security
    assert not s.auth.enabled
    assert s.cors_allow_origins == ()
    assert s.frame_ancestors == ("'self'",)
    assert (s.max_body_bytes, s.rate_limit_fms_per_minute) == (1_000_000, 120)
    assert s.report_policy.hosts == frozenset()


def test_everything_can_be_configured() -> None:
    s = security_from_env(
        {
            **AUTH,
            "AUTH_JWT_LEEWAY_SECONDS": "5",
            "AUTH_MAX_TOKEN_LIFETIME_SECONDS": "300",
            "CORS_ALLOW_ORIGINS": "https://Calendar.example.com, http://localhost:5173",
            "FRAME_ANCESTORS": "'self' https://fms.example.com,https://*.fms.example.com",
            "MAX_BODY_BYTES": "2048",
            "RATE_LIMIT_FMS_PER_MINUTE": "30",
            "REPORT_HOSTS": "reports.example.com, 127.0.0.1:9000",
            "REPORT_ALLOW_HTTP": "true",
            "REPORT_PRIVATE_HOSTS": "127.0.0.1",
        },
        fms_environment="sandbox",
    )
    assert s.auth.enabled
    assert s.auth.algorithms == ("HS256",)
    assert (s.auth.leeway_seconds, s.auth.max_token_lifetime_seconds) == (5, 300)
    assert s.cors_allow_origins == ("https://calendar.example.com", "http://localhost:5173")
    assert s.frame_ancestors == ("'self'", "https://fms.example.com", "https://*.fms.example.com")
    assert (s.max_body_bytes, s.rate_limit_fms_per_minute) == (2048, 30)
    assert s.report_policy.hosts == {"reports.example.com", "127.0.0.1:9000"}
    assert s.report_policy.allow_http
    assert s.report_policy.private_ok == {"127.0.0.1"}


def test_jwks_means_rs256_and_es256() -> None:
    env = {**AUTH, "AUTH_JWT_SECRET": "", "AUTH_JWKS_URL": "https://fms.example.com/.well-known/jwks.json"}
    auth = security_from_env(env, fms_environment="production").auth
    assert auth.enabled
    assert auth.algorithms == ("RS256", "ES256")
    assert auth.jwt_secret is None


@pytest.mark.parametrize("environment", ["staging", "production"])
def test_staging_and_production_refuse_to_start_without_auth(environment: str) -> None:
    with pytest.raises(ConfigError, match="without authentication: set AUTH_JWT_SECRET"):
        security_from_env({}, fms_environment=environment)
    prefix = f"FMS_{environment.upper()}"
    fms = {"FMS_ENVIRONMENT": environment, f"{prefix}_URL": "https://fms.example.com", f"{prefix}_TOKEN": "t"}
    with pytest.raises(ConfigError, match="without authentication"):
        Settings.from_env(fms)
    assert Settings.from_env({**fms, **AUTH}).security.auth.enabled


@pytest.mark.parametrize("environment", ["staging", "production"])
def test_staging_and_production_start_with_auth(environment: str) -> None:
    assert security_from_env(AUTH, fms_environment=environment).auth.enabled


def test_an_app_outside_the_sandbox_cannot_be_built_without_auth() -> None:
    from entrypoints.http.security import security_layer

    with pytest.raises(ConfigError, match="without authentication"):
        security_layer(Settings(fms=FmsSettings(environment="staging")))


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({**AUTH, "AUTH_JWT_SECRET": "short"}, "at least 32 characters"),
        ({**AUTH, "AUTH_JWKS_URL": "https://fms.example.com/jwks"}, "not both"),
        ({**AUTH, "AUTH_JWT_SECRET": "", "AUTH_JWKS_URL": "http://fms.example.com/jwks"}, "https"),
        ({**AUTH, "AUTH_JWT_SECRET": "", "AUTH_JWKS_URL": "https://u:p@fms.example.com/j"}, "credentials"),
        ({"AUTH_JWT_SECRET": SECRET}, "AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE"),
        ({"AUTH_JWT_AUDIENCE": "ms"}, "no key is"),
        ({**AUTH, "AUTH_JWT_LEEWAY_SECONDS": "3600"}, "between 0 and 120"),
        ({**AUTH, "AUTH_MAX_TOKEN_LIFETIME_SECONDS": "x"}, "must be an integer"),
        ({"CORS_ALLOW_ORIGINS": "*"}, "'*' is refused"),
        ({"CORS_ALLOW_ORIGINS": "https://a.example.com/path"}, "no path"),
        ({"CORS_ALLOW_ORIGINS": "https://*.example.com"}, "CORS_ALLOW_ORIGINS"),
        ({"CORS_ALLOW_ORIGINS": "calendar.example.com"}, "CORS_ALLOW_ORIGINS"),
        ({"FRAME_ANCESTORS": "'none' https://fms.example.com"}, "'none'"),
        ({"FRAME_ANCESTORS": "https://fms.example.com;script-src"}, "FRAME_ANCESTORS"),
        ({"FRAME_ANCESTORS": "*"}, "FRAME_ANCESTORS"),
        ({"MAX_BODY_BYTES": "10"}, "MAX_BODY_BYTES"),
        ({"RATE_LIMIT_FMS_PER_MINUTE": "-1"}, "RATE_LIMIT_FMS_PER_MINUTE"),
        ({"REPORT_HOSTS": "https://reports.example.com/x"}, "REPORT_HOSTS"),
        ({"REPORT_ALLOW_HTTP": "maybe"}, "true or false"),
    ],
)
def test_bad_values_are_refused_clearly(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment.replace("*", r"\*")):
        security_from_env(env, fms_environment="sandbox")


def test_the_secret_is_not_in_the_settings_repr() -> None:
    settings = Settings.from_env(AUTH)
    assert SECRET not in repr(settings)
    assert settings.security.auth.jwt_secret == SECRET
