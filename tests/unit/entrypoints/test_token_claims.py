"""Correctly signed tokens whose claims have the wrong type or range are refused (401), never a 500."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import pytest

from entrypoints.http.tokens import TokenRefused, TokenVerifier
from entrypoints.settings.auth import AuthSettings

ISSUER, AUDIENCE, SECRET = "https://fms.example.com", "media-scheduler", "k" * 40
AUTH = AuthSettings(jwt_secret=SECRET, issuer=ISSUER, audience=AUDIENCE, max_token_lifetime_seconds=600)


def malformed(now: int) -> dict[str, Any]:
    """Claim values of the wrong type or range, some of them near `now` (taken when the test runs)."""
    return {
        "numeric string": str(now + 300),
        "text": "soon",
        "list": [now + 300],
        "object": {"seconds": now + 300},
        "float": now + 300.5,
        "huge int": 2**64,
        "-2^63": -(2**63),
        "null": None,
        "true": True,
        "NaN": float("nan"),
        "1e309": float("inf"),
    }


MALFORMED = malformed(0)  # the kinds, and values for claims that are not times
NOT_TEXT = {k: v for k, v in MALFORMED.items() if not isinstance(v, str)}
UNSTORABLE = {"NUL": "a\x00b", "lone surrogate": "\ud800"}
IDENTITY_MALFORMED: dict[str, dict[str, Any]] = {
    "sub": {**NOT_TEXT, **UNSTORABLE, "empty": ""},
    "email": {**{k: v for k, v in NOT_TEXT.items() if v is not None}, **UNSTORABLE},  # null: absent
    "fms_user_id": {**MALFORMED, "zero": 0, "numeric string": "12"},
    "roles": {**NOT_TEXT, "list of other things": ["scheduler", None, ["admin"]]},
}


def signed(changes: dict[str, Any]) -> str:
    """A validly signed HS256 token with the claims changed (json allows NaN, Infinity and surrogates).

    Its times are taken now, not at import: a long suite may run this file minutes after collecting it.
    """
    now = int(time.time())
    body = {
        "sub": "u-1",
        "email": "a@example.com",
        "roles": ["scheduler"],
        "fms_user_id": 12,
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + 300,
        **changes,
    }

    def part(value: dict[str, Any]) -> bytes:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=")

    signing_input = part({"alg": "HS256", "typ": "JWT"}) + b"." + part(body)
    signature = hmac.new(SECRET.encode(), signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + base64.urlsafe_b64encode(signature).rstrip(b"=")).decode()


async def test_a_well_formed_token_is_accepted() -> None:
    actor = await TokenVerifier(AUTH).actor(signed({"nbf": int(time.time())}))
    assert (actor.name, actor.fms_user_id, actor.roles) == ("a@example.com", 12, frozenset({"scheduler"}))


@pytest.mark.parametrize("claim", ["exp", "iat", "nbf"])
@pytest.mark.parametrize("kind", list(MALFORMED))
async def test_malformed_times_are_refused(claim: str, kind: str) -> None:
    with pytest.raises(TokenRefused, match=claim):
        await TokenVerifier(AUTH).actor(signed({claim: malformed(int(time.time()))[kind]}))


@pytest.mark.parametrize(
    ("claim", "kind"), [(claim, kind) for claim, values in IDENTITY_MALFORMED.items() for kind in values]
)
async def test_malformed_identity_claims_are_refused(claim: str, kind: str) -> None:
    with pytest.raises(TokenRefused, match=claim):
        await TokenVerifier(AUTH).actor(signed({claim: IDENTITY_MALFORMED[claim][kind]}))
