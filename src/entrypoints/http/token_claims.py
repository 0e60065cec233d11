"""The claims of a verified token, checked for type and range before anything uses them.

PyJWT checks signature, issuer, audience and expiry, but converts `exp`, `iat` and `nbf` with int(), so a
numeric string, a float or a boolean passes it; every claim is checked again here, strictly.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from application.records import Actor
from application.storable_text import unstorable

KNOWN_ROLES = frozenset({"scheduler", "admin"})
MAX_SECONDS = 2**53  # JSON's exact integers; beyond any real date
MAX_FMS_USER_ID = 2**31


class TokenRefused(Exception):
    """The token cannot be accepted; the message says why (and never contains the token)."""


def _seconds(claims: Mapping[str, Any], name: str) -> int | None:
    if name not in claims:
        return None
    value = claims[name]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < MAX_SECONDS:
        raise TokenRefused(f"token {name} claim must be whole seconds since the epoch")
    return value


def check_times(
    claims: Mapping[str, Any], *, leeway: float, max_lifetime: int, now: float | None = None
) -> None:
    """exp and iat (required), nbf (optional): whole seconds; not expired, not early, not too long-lived
    at `now` (seconds since the epoch; the system clock when not given).

    These are checked here rather than by PyJWT, which accepts strings, floats and booleans for them.
    """
    issued, expires, not_before = (_seconds(claims, name) for name in ("iat", "exp", "nbf"))
    if issued is None or expires is None:
        raise TokenRefused(f"token lacks the {'iat' if issued is None else 'exp'} claim")
    if now is None:
        now = time.time()
    if expires <= now - leeway:
        raise TokenRefused("token expired (exp)")
    if not_before is not None and not_before > now + leeway:
        raise TokenRefused("token not valid yet (nbf)")
    if issued > now + leeway:
        raise TokenRefused("token issued in the future (iat)")
    if expires - issued > max_lifetime:
        raise TokenRefused(f"token lives longer than {max_lifetime} s")


def _text(claims: Mapping[str, Any], name: str, *, max_length: int) -> str | None:
    value = claims.get(name)
    if value is None and name != "sub":
        return None
    if not isinstance(value, str) or not 0 < len(value) <= max_length:
        raise TokenRefused(f"token {name} claim must be a non-empty string")
    if (problem := unstorable(value)) is not None:
        raise TokenRefused(f"token {name} claim holds {problem}")
    return value


def _fms_user_id(claims: Mapping[str, Any]) -> int | None:
    if "fms_user_id" not in claims:
        return None
    value = claims["fms_user_id"]  # null is refused: it would silently send requests as the default requestor
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < MAX_FMS_USER_ID:
        raise TokenRefused("token fms_user_id claim must be a positive integer")
    return value


def _roles(claims: Mapping[str, Any]) -> frozenset[str]:
    roles = claims.get("roles", [])
    if isinstance(roles, str):
        roles = roles.split()
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise TokenRefused("token roles claim must be a list of strings")
    return frozenset(roles) & KNOWN_ROLES


def actor_from_claims(claims: Mapping[str, Any]) -> Actor:
    """The person the verified claims name: email (else sub), fms_user_id, roles (unknown ones dropped)."""
    sub = _text(claims, "sub", max_length=200)
    email = _text(claims, "email", max_length=254)
    assert sub is not None
    return Actor(name=email or sub, fms_user_id=_fms_user_id(claims), roles=_roles(claims))
