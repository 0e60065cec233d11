"""Small readers of environment values for the security settings, failing with ConfigError."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NoReturn


def fail(message: str) -> NoReturn:
    """Raise the service's ConfigError with this message."""
    # config.py imports the security settings, which import this module: import ConfigError late.
    from entrypoints.config import ConfigError

    raise ConfigError(message)


def text(env: Mapping[str, str], name: str) -> str | None:
    """The stripped value, or None when unset or blank."""
    return env.get(name, "").strip() or None


def integer(env: Mapping[str, str], name: str, default: int, *, low: int, high: int) -> int:
    """An integer within [low, high]."""
    raw = text(env, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        fail(f"{name} must be an integer, got {raw!r}")
    if not low <= value <= high:
        fail(f"{name} must be between {low} and {high}, got {value}")
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


def items(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    """A comma- (or space-) separated list, without blanks or duplicates, order kept."""
    raw = (text(env, name) or "").replace(",", " ")
    return tuple(dict.fromkeys(part for part in raw.split() if part))
