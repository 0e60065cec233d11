"""Tokens for the security tests: minted as FMS would mint them, and broken in every usual way."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any

import jwt

SECRET = "test-secret-for-media-scheduler-0123456789abcdef"
OTHER_SECRET = "another-secret-nobody-configured-0123456789abcdef"
ISSUER = "https://fms.example.com"
AUDIENCE = "media-scheduler"
FMS_ORIGIN = "https://fms.example.com"
SCHEDULER_ROLES = ["scheduler"]


def mint(
    sub: str | None = "u-1001",
    *,
    email: str | None = "alex@example.com",
    roles: list[str] | str | None = None,
    fms_user_id: int | None = 4242,
    lifetime: int = 300,
    issued_ago: int = 0,
    secret: str = SECRET,
    **overrides: Any,
) -> str:
    """A token signed like FMS signs an embed token; overrides replace or add claims (None drops one)."""
    now = int(time.time()) - issued_ago
    claims: dict[str, Any] = {
        "sub": sub,
        "email": email,
        "fms_user_id": fms_user_id,
        "roles": SCHEDULER_ROLES if roles is None else roles,
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + lifetime,
    }
    claims.update(overrides)
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, secret, algorithm="HS256")


def unsigned(**claims: Any) -> str:
    """An alg=none token carrying otherwise valid claims."""
    body = json.loads(base64.urlsafe_b64decode(mint(**claims).split(".")[1] + "=="))

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(body)}."


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}


# Each is made when a test runs, never at import: a slow suite runs a test minutes after collecting it.
MALFORMED_CLAIMS: dict[str, Callable[[int], dict[str, Any]]] = {
    "exp a numeric string": lambda now: {"exp": str(now + 300)},
    "iat a float": lambda now: {"iat": now + 0.5},
    "nbf a list": lambda now: {"nbf": [now]},
    "exp huge": lambda now: {"exp": 2**64},
    "roles an object": lambda now: {"roles": {"admin": True}},
    "fms_user_id a string": lambda now: {"fms_user_id": "4242"},
    "sub with a NUL": lambda now: {"sub": "u\x00", "email": None},
}
"""Signed tokens whose claims have the wrong type (issue 11: 401, never a 500), made from the time now."""


def _signed_now(claims: Callable[[int], dict[str, Any]]) -> Callable[[], str]:
    """Makes a token whose claims are made from the time it is called."""
    return lambda: mint(**claims(int(time.time())))


BAD_TOKENS: dict[str, Callable[[], str]] = {
    "expired": lambda: mint(issued_ago=1000, lifetime=300),
    "wrong audience": lambda: mint(aud="another-service"),
    "no audience": lambda: mint(aud=None),
    "wrong issuer": lambda: mint(iss="https://evil.example.com"),
    "other key": lambda: mint(secret=OTHER_SECRET),
    "alg none": unsigned,
    "no exp": lambda: mint(exp=None),
    "no sub": lambda: mint(sub=None),
    "too long-lived": lambda: mint(lifetime=86_400),
    "not yet valid": lambda: mint(nbf=int(time.time()) + 600),
    "garbage": lambda: "abc.def.ghi",
    "tampered": lambda: mint()[:-4] + "AAAA",
    **{kind: _signed_now(claims) for kind, claims in MALFORMED_CLAIMS.items()},
}
"""Tokens that must each be refused with 401, by what is wrong with them; each made when called."""


def bad_tokens() -> dict[str, str]:
    """Every bad token, made now."""
    return {kind: make() for kind, make in BAD_TOKENS.items()}
