"""Tokens for the security tests: minted as FMS would mint them, and broken in every usual way."""

from __future__ import annotations

import base64
import json
import time
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


def bad_tokens() -> dict[str, str]:
    """Tokens that must each be refused with 401, by what is wrong with them."""
    return {
        "expired": mint(issued_ago=1000, lifetime=300),
        "wrong audience": mint(aud="another-service"),
        "no audience": mint(aud=None),
        "wrong issuer": mint(iss="https://evil.example.com"),
        "other key": mint(secret=OTHER_SECRET),
        "alg none": unsigned(),
        "no exp": mint(exp=None),
        "no sub": mint(sub=None),
        "too long-lived": mint(lifetime=86_400),
        "not yet valid": mint(nbf=int(time.time()) + 600),
        "garbage": "abc.def.ghi",
        "tampered": mint()[:-4] + "AAAA",
        **malformed_claims(),
    }


def malformed_claims() -> dict[str, str]:
    """Correctly signed tokens whose claims have the wrong type (issue 11: 401, never a 500)."""
    now = int(time.time())
    wrong: dict[str, dict[str, Any]] = {
        "exp a numeric string": {"exp": str(now + 300)},
        "iat a float": {"iat": now + 0.5},
        "nbf a list": {"nbf": [now]},
        "exp huge": {"exp": 2**64},
        "roles an object": {"roles": {"admin": True}},
        "fms_user_id a string": {"fms_user_id": "4242"},
        "sub with a NUL": {"sub": "u\x00", "email": None},
    }
    return {kind: mint(**claims) for kind, claims in wrong.items()}
