"""Tokens remembered once verified: the same answers as verifying each time, the clock checked every call."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest

from entrypoints.http import tokens
from entrypoints.http.tokens import TokenRefused, TokenVerifier
from tests.unit.entrypoints.test_tokens import (
    JWKS_AUTH,
    RSA_KEY,
    SECRET_AUTH,
    FakeJwks,
    claims,
    jwk,
)

SECRET = "k" * 40


class Clock:
    """Seconds since the epoch that the test moves."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


async def test_a_remembered_token_is_refused_once_it_expires() -> None:
    clock = Clock()
    verifier = TokenVerifier(SECRET_AUTH, clock=clock)
    token = jwt.encode(claims(exp=int(clock.now) + 60), SECRET, algorithm="HS256")
    first = await verifier.actor(token)
    assert await verifier.actor(token) == first
    clock.now += 60 + SECRET_AUTH.leeway_seconds + 1
    with pytest.raises(TokenRefused, match="expired"):
        await verifier.actor(token)
    with pytest.raises(TokenRefused, match="expired"):
        await verifier.actor(token)


async def test_a_token_not_valid_yet_is_accepted_once_its_time_comes_and_stays_checked() -> None:
    clock = Clock()
    verifier = TokenVerifier(SECRET_AUTH, clock=clock)
    token = jwt.encode(claims(nbf=int(clock.now) + 120), SECRET, algorithm="HS256")
    with pytest.raises(TokenRefused, match="not valid yet"):
        await verifier.actor(token)
    clock.now += 120
    assert (await verifier.actor(token)).name == "a@example.com"
    clock.now -= 120  # the clock stepped back: the remembered token is checked against it again
    with pytest.raises(TokenRefused, match="not valid yet"):
        await verifier.actor(token)


async def test_another_token_is_verified_on_its_own_however_alike() -> None:
    verifier = TokenVerifier(SECRET_AUTH)
    token = jwt.encode(claims(), SECRET, algorithm="HS256")
    await verifier.actor(token)
    forged = jwt.encode(claims(), "x" * 40, algorithm="HS256")
    with pytest.raises(TokenRefused, match="signature"):
        await verifier.actor(f"{token.rsplit('.', 1)[0]}.{forged.rsplit('.', 1)[1]}")
    other = jwt.encode(claims(email="b@example.com"), SECRET, algorithm="HS256")
    assert (await verifier.actor(other)).name == "b@example.com"
    with pytest.raises(TokenRefused, match="signature"):
        await verifier.actor(jwt.encode(claims(), "x" * 40, algorithm="HS256"))


async def test_a_remembered_token_is_refused_once_its_key_leaves_the_jwks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tokens, "MIN_REFRESH_SECONDS", 0.0)  # every call may refetch the JWKS
    jwks = FakeJwks(jwk(RSA_KEY, "r1", "RS256"))
    verifier = TokenVerifier(JWKS_AUTH.__class__(**{**vars(JWKS_AUTH), "jwks_cache_seconds": 0}), fetch=jwks)
    token = jwt.encode(claims(), RSA_KEY, algorithm="RS256", headers={"kid": "r1"})
    assert (await verifier.actor(token)).name == "a@example.com"
    assert (await verifier.actor(token)).name == "a@example.com"  # the same key, fetched again
    jwks.keys = [jwk(RSA_KEY, "r2", "RS256")]  # rotated: r1 is gone
    with pytest.raises(TokenRefused, match="unknown key"):
        await verifier.actor(token)


async def test_only_the_most_recent_tokens_are_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[str] = []
    real_decode = jwt.decode

    def counting_decode(token: str, *args: Any, **kwargs: Any) -> Any:
        decoded.append(token)
        return real_decode(token, *args, **kwargs)

    monkeypatch.setattr(jwt, "decode", counting_decode)
    verifier = TokenVerifier(SECRET_AUTH, remember=2)
    a, b, c = (jwt.encode(claims(sub=s), SECRET, algorithm="HS256") for s in "abc")
    for token in (a, b, a, c, a):  # c pushes out b (a was used since), then a is still there
        await verifier.actor(token)
    assert decoded == [a, b, c]
    await verifier.actor(b)
    assert decoded == [a, b, c, b]
