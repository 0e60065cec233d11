"""FMS settings: sandbox by default, staging/production only with URL and token, tokens never shown."""

from __future__ import annotations

import pytest

from adapters.fms_http.gateway import HttpFmsGateway
from adapters.fms_http.secret import Secret
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.service import ConfigError, Settings
from entrypoints.wiring.container import build_container, resolve
from entrypoints.wiring.fms import gateway_kind

AUTH = {"AUTH_JWT_SECRET": "s" * 40, "AUTH_JWT_ISSUER": "https://fms.example.com", "AUTH_JWT_AUDIENCE": "ms"}
TOKEN = "staging-token-1f2e3d4c5b6a"


def staging(**extra: str) -> dict[str, str]:
    """A complete staging environment, with changes."""
    return {
        "FMS_ENVIRONMENT": "staging",
        "FMS_STAGING_URL": "https://fms-staging.example.com/",
        "FMS_STAGING_TOKEN": TOKEN,
        **AUTH,
        **extra,
    }


def test_the_default_is_the_sandbox_simulator() -> None:
    s = Settings.from_env({})
    assert (s.fms.environment, s.fms.sandbox, gateway_kind(s)) == ("sandbox", "simulator", "http")
    assert (s.fms.base_url, s.fms.token, s.fms.default_requestor_id) == (None, None, 1949)
    assert (s.fms.timeout_seconds, s.fms.connect_timeout_seconds) == (10.0, 5.0)
    memory = Settings.from_env({"FMS_SANDBOX": "memory"})
    assert gateway_kind(memory) == "memory"
    assert gateway_kind(Settings()) == "http"  # Settings() built in code has the environment's default
    assert gateway_kind(Settings(fms=FmsSettings(sandbox="memory"))) == "memory"


def test_staging_reads_its_own_variables() -> None:
    s = Settings.from_env(staging(FMS_TIMEOUT_SECONDS="2.5", FMS_CONNECT_TIMEOUT_SECONDS="0.5"))
    assert s.fms.environment == "staging"
    assert s.fms.base_url == "https://fms-staging.example.com"
    assert s.fms.token == Secret(TOKEN)
    assert s.fms.default_requestor_id == 1949  # the staging default
    assert (s.fms.timeout_seconds, s.fms.connect_timeout_seconds) == (2.5, 0.5)
    assert gateway_kind(s) == "http"
    assert Settings.from_env(staging(FMS_STAGING_REQUESTOR_ID="77")).fms.default_requestor_id == 77


def test_production_has_no_default_requestor_and_ignores_staging_variables() -> None:
    env = {
        "FMS_ENVIRONMENT": "production",
        "FMS_PRODUCTION_URL": "https://fms.example.com",
        "FMS_PRODUCTION_TOKEN": "prod-token-99",
        "FMS_STAGING_URL": "https://fms-staging.example.com",
        "FMS_STAGING_TOKEN": TOKEN,
        **AUTH,
    }
    s = Settings.from_env(env)
    assert (s.fms.base_url, s.fms.token) == ("https://fms.example.com", Secret("prod-token-99"))
    assert s.fms.default_requestor_id is None
    assert Settings.from_env({**env, "FMS_PRODUCTION_REQUESTOR_ID": "1"}).fms.default_requestor_id == 1


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"FMS_ENVIRONMENT": "staging", **AUTH}, "needs FMS_STAGING_URL and FMS_STAGING_TOKEN"),
        (staging(FMS_STAGING_TOKEN=" "), "needs FMS_STAGING_TOKEN"),
        (staging(FMS_STAGING_URL=""), "needs FMS_STAGING_URL"),
        ({"FMS_ENVIRONMENT": "production", **AUTH}, "needs FMS_PRODUCTION_URL and FMS_PRODUCTION_TOKEN"),
        (staging(FMS_STAGING_URL="fms-staging.example.com"), "must be an http:// or https:// URL"),
        (staging(FMS_STAGING_URL="ftp://fms.example.com"), "must be an http:// or https:// URL"),
        (staging(FMS_STAGING_URL="https://u:p@fms.example.com"), "must not carry credentials"),
        (staging(FMS_STAGING_REQUESTOR_ID="abc"), "FMS_STAGING_REQUESTOR_ID must be an integer"),
        (staging(FMS_STAGING_REQUESTOR_ID="0"), "must be a positive FMS user id"),
        (staging(FMS_TIMEOUT_SECONDS="0"), "FMS_TIMEOUT_SECONDS must be more than 0"),
        (staging(FMS_CONNECT_TIMEOUT_SECONDS="soon"), "FMS_CONNECT_TIMEOUT_SECONDS must be a number"),
        ({"FMS_SANDBOX": "docker"}, "FMS_SANDBOX must be one of simulator, memory"),
        ({"FMS_ENVIRONMENT": "prod"}, "FMS_ENVIRONMENT must be one of sandbox, staging, production"),
    ],
)
def test_bad_fms_settings_refuse_to_start(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment) as refused:
        Settings.from_env(env)
    assert TOKEN not in str(refused.value)


async def test_the_token_never_shows_in_settings_or_the_container() -> None:
    s = Settings.from_env(staging(RECOVERY_ENABLED="false", STORAGE_BACKEND="memory"))
    for text in (repr(s), str(s), f"{s.fms.token}", repr(s.fms.token)):
        assert TOKEN not in text
    assert "Secret('***')" in repr(s)
    container = build_container(s)
    await container.init_resources()  # type: ignore[misc]
    try:
        endpoint = await resolve(container.fms_endpoint)
        gateway = await resolve(container.fms_gateway)
        assert isinstance(gateway, HttpFmsGateway)
        assert gateway.base_url == "https://fms-staging.example.com"
        assert endpoint.token == Secret(TOKEN)
        assert TOKEN not in repr(endpoint) + repr(gateway)
    finally:
        await container.shutdown_resources()  # type: ignore[misc]
