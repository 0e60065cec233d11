"""Settings come from the environment, with clear errors for values that cannot be used."""

from __future__ import annotations

from pathlib import Path

import pytest

from entrypoints.settings.service import ConfigError, Settings


def test_defaults_are_the_embedded_sandbox() -> None:
    s = Settings.from_env({})
    assert (s.host, s.port, s.data_dir, s.database_url) == ("127.0.0.1", 8000, Path(".data"), None)
    assert s.embedded_database
    assert s.fms.environment == "sandbox"
    assert s.fms.default_requestor_id == 1949
    assert s.shutdown_timeout_seconds == s.fms.longest_call_seconds + 5 == Settings().shutdown_timeout_seconds


def test_the_shutdown_waits_for_the_longest_fms_call_by_default() -> None:
    s = Settings.from_env({"FMS_TIMEOUT_SECONDS": "30", "FMS_CONNECT_TIMEOUT_SECONDS": "2"})
    assert s.shutdown_timeout_seconds == 37
    assert Settings.from_env({"SHUTDOWN_TIMEOUT_SECONDS": "4.5"}).shutdown_timeout_seconds == 4.5


def test_plain_names_are_honoured() -> None:
    s = Settings.from_env(
        {
            "HOST": "0.0.0.0",
            "PORT": "9001",
            "DATA_DIR": "/tmp/x",
            "DATABASE_URL": "postgresql://u@h/db",
            "LOG_LEVEL": "DEBUG",
            "LOG_FORMAT": "json",
        }
    )
    assert (s.host, s.port, s.data_dir, s.log_level, s.log_format) == (
        "0.0.0.0",
        9001,
        Path("/tmp/x"),
        "DEBUG",
        "json",
    )
    assert not s.embedded_database


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"PORT": "eighty"}, "PORT must be an integer"),
        ({"PORT": "70000"}, "PORT must be between"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT must be one of"),
        ({"STORAGE_BACKEND": "sqlite"}, "STORAGE_BACKEND must be one of"),
        ({"FMS_ENVIRONMENT": "staging"}, "needs FMS_STAGING_URL and FMS_STAGING_TOKEN"),
        ({"DEMO_DATA": "maybe"}, "DEMO_DATA must be true or false"),
        ({"FMS_SANDBOX_LATENCY_MS": "-5"}, "must not be negative"),
        ({"RECOVERY_STALE_AFTER_SECONDS": "12"}, "must exceed the longest FMS call"),
        ({"SHUTDOWN_TIMEOUT_SECONDS": "0"}, "SHUTDOWN_TIMEOUT_SECONDS must be"),
        ({"SHUTDOWN_TIMEOUT_SECONDS": "601"}, "at most 600 seconds"),
    ],
)
def test_bad_values_are_refused_clearly(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        Settings.from_env(env)
