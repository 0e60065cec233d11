"""The one environment reader: small typed readers of variables, each failing with ConfigError."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NoReturn


class ConfigError(Exception):
    """A setting is missing or has a value that cannot be used."""


def fail(message: str) -> NoReturn:
    """Raise ConfigError with this message."""
    raise ConfigError(message)


def text(env: Mapping[str, str], name: str) -> str | None:
    """The stripped value, or None when unset or blank."""
    return env.get(name, "").strip() or None


def _int(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        fail(f"{name} must be an integer, got {raw!r}")


def integer(
    env: Mapping[str, str], name: str, default: int, *, low: int | None = None, high: int | None = None
) -> int:
    """An integer, within [low, high] when those are given."""
    raw = text(env, name)
    if raw is None:
        return default
    value = _int(name, raw)
    if low is not None and high is not None and not low <= value <= high:
        fail(f"{name} must be between {low} and {high}, got {value}")
    return value


def optional_id(env: Mapping[str, str], name: str, default: int | None) -> int | None:
    """A positive id (an FMS user id), or the default when unset."""
    raw = text(env, name)
    if raw is None:
        return default
    value = _int(name, raw)
    if value <= 0:
        fail(f"{name} must be a positive FMS user id, got {value}")
    return value


def number(env: Mapping[str, str], name: str, default: float, *, what: str = "a number of seconds") -> float:
    """A float (the message names what it measures)."""
    raw = text(env, name)
    if raw is None:
        return default
    try:
        return float(raw)
    except ValueError:
        fail(f"{name} must be {what}, got {raw!r}")


def positive(env: Mapping[str, str], name: str, default: float) -> float:
    """A number of seconds above zero."""
    value = number(env, name, default)
    if value <= 0:
        fail(f"{name} must be positive")
    return value


def ratio(env: Mapping[str, str], name: str, default: float) -> float:
    """A number between 0 and 1."""
    value = number(env, name, default, what="a number between 0 and 1")
    if not 0.0 <= value <= 1.0:
        fail(f"{name} must be between 0 and 1, got {value}")
    return value


def boolean(env: Mapping[str, str], name: str, default: bool) -> bool:
    """true/false, yes/no, on/off, 1/0."""
    raw = (text(env, name) or "").lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    fail(f"{name} must be true or false, got {raw!r}")


def choice(env: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of choices (case-insensitive), lower-cased."""
    raw = (text(env, name) or default).lower()
    if raw not in choices:
        fail(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return raw


def items(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    """A comma- (or space-) separated list, without blanks or duplicates, order kept."""
    raw = (text(env, name) or "").replace(",", " ")
    return tuple(dict.fromkeys(part for part in raw.split() if part))
