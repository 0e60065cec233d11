"""The bulk settings: FMS_MAX_CONCURRENCY and BULK_MAX_ITEMS, with their defaults and bounds."""

from __future__ import annotations

import pytest

from entrypoints.settings.service import ConfigError, Settings


def test_defaults() -> None:
    s = Settings.from_env({})
    assert (s.limits.fms_max_concurrency, s.limits.bulk_max_items) == (8, 500)


def test_values_are_read() -> None:
    s = Settings.from_env({"FMS_MAX_CONCURRENCY": "16", "BULK_MAX_ITEMS": " 50 "})
    assert (s.limits.fms_max_concurrency, s.limits.bulk_max_items) == (16, 50)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("FMS_MAX_CONCURRENCY", "0", "FMS_MAX_CONCURRENCY must be between 1 and 20, got 0"),
        ("FMS_MAX_CONCURRENCY", "21", "FMS_MAX_CONCURRENCY must be between 1 and 20, got 21"),
        ("FMS_MAX_CONCURRENCY", "eight", "FMS_MAX_CONCURRENCY must be an integer, got 'eight'"),
        ("BULK_MAX_ITEMS", "-1", "BULK_MAX_ITEMS must be between 1 and 10000, got -1"),
        ("BULK_MAX_ITEMS", "10001", "BULK_MAX_ITEMS must be between 1 and 10000, got 10001"),
    ],
)
def test_bad_values_are_refused_clearly(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError) as refused:
        Settings.from_env({name: value})
    assert str(refused.value) == message
