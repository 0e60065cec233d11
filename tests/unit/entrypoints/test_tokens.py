"""Token verification: HS256 and JWKS (RS256/ES256) keys, algorithm confusion, lifetime, identity claims."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from entrypoints.http.tokens import KeysUnavailable, TokenRefused, TokenVerifier, actor_from_claims
from entrypoints.settings.auth import AuthSettings

ISSUER, AUDIENCE = "https://fms.example.com", "media-scheduler"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())
JWKS_AUTH = AuthSettings(jwks_url="https://fms.example.com/jwks", issuer=ISSUER, audience=AUDIENCE)


def jwk(key: Any, kid: str, alg: str) -> dict[str, Any]:
    algorithm = jwt.get_algorithm_by_name(alg)
    data: dict[str, Any] = json.loads(algorithm.to_jwk(key.public_key()))
    return {**data, "kid": kid, "alg": alg, "use": "sig"}


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"sub": "u-1", "email": "a@example.com", "roles": ["scheduler"], "fms_user_id": 12}
    return {**base, "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 300, **changes}


def hs256_by_hand(body: dict[str, Any], key: bytes, *, kid: str) -> str:
    """An HS256 token signed with any bytes (PyJWT refuses to use a public key as an HMAC secret)."""

    def part(value: dict[str, Any]) -> bytes:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=")

    signing_input = part({"alg": "HS256", "typ": "JWT", "kid": kid}) + b"." + part(body)
    signature = base64.urlsafe_b64encode(hmac.new(key, signing_input, hashlib.sha256).digest()).rstrip(b"=")
    return (signing_input + b"." + signature).decode()


class FakeJwks:
    """A JWKS endpoint whose keys the test changes, counting fetches."""

    def __init__(self, *keys: dict[str, Any]) -> None:
        self.keys = list(keys)
        self.fetches = 0
        self.down = False

    async def __call__(self, url: str) -> Mapping[str, Any]:
        self.fetches += 1
        if self.down:
            raise KeysUnavailable("down")
        return {"keys": self.keys}


async def test_rs256_and_es256_tokens_from_the_jwks_are_accepted() -> None:
    verifier = TokenVerifier(
        JWKS_AUTH, fetch=FakeJwks(jwk(RSA_KEY, "r1", "RS256"), jwk(EC_KEY, "e1", "ES256"))
    )
    rs = jwt.encode(claims(), RSA_KEY, algorithm="RS256", headers={"kid": "r1"})
    es = jwt.encode(claims(sub="u-2", email=None), EC_KEY, algorithm="ES256", headers={"kid": "e1"})
    assert (await verifier.actor(rs)).name == "a@example.com"
    actor = await verifier.actor(es)
    assert (actor.name, actor.fms_user_id, actor.roles) == ("u-2", 12, frozenset({"scheduler"}))


async def test_algorithm_confusion_and_symmetric_jwks_keys_are_refused() -> None:
    public_pem = RSA_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    oct_key = {
        "kty": "oct",
        "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA",
        "kid": "o1",
        "alg": "HS256",
    }
    verifier = TokenVerifier(JWKS_AUTH, fetch=FakeJwks(jwk(RSA_KEY, "r1", "RS256"), oct_key))
    forged = hs256_by_hand(claims(), public_pem, kid="r1")  # the public key used as an HMAC secret
    with pytest.raises(TokenRefused, match="algorithm"):
        await verifier.actor(forged)
    with pytest.raises(TokenRefused):
        await verifier.actor(hs256_by_hand(claims(), b"secret-secret-secret-secret-secret", kid="o1"))
    es_signed_as_rs_kid = jwt.encode(claims(), EC_KEY, algorithm="ES256", headers={"kid": "r1"})
    with pytest.raises(TokenRefused, match="unknown key"):
        await verifier.actor(es_signed_as_rs_kid)


async def test_an_unknown_kid_refetches_the_jwks_once_then_refuses() -> None:
    jwks = FakeJwks(jwk(RSA_KEY, "r1", "RS256"))
    verifier = TokenVerifier(JWKS_AUTH, fetch=jwks)
    token = jwt.encode(claims(), RSA_KEY, algorithm="RS256", headers={"kid": "r1"})
    await verifier.actor(token)
    await verifier.actor(token)
    assert jwks.fetches == 1
    with pytest.raises(TokenRefused, match="unknown key"):
        await verifier.actor(jwt.encode(claims(), RSA_KEY, algorithm="RS256", headers={"kid": "rotated"}))
    with pytest.raises(TokenRefused, match="unknown key"):
        await verifier.actor(jwt.encode(claims(), RSA_KEY, algorithm="RS256", headers={"kid": "again"}))
    assert jwks.fetches == 1  # a refetch at most every 30 s: unknown kids cannot hammer the JWKS


async def test_an_unreachable_jwks_is_keys_unavailable_but_cached_keys_keep_working() -> None:
    jwks = FakeJwks(jwk(RSA_KEY, "r1", "RS256"))
    jwks.down = True
    verifier = TokenVerifier(JWKS_AUTH, fetch=jwks)
    token = jwt.encode(claims(), RSA_KEY, algorithm="RS256", headers={"kid": "r1"})
    with pytest.raises(KeysUnavailable):
        await verifier.actor(token)
    jwks.down = False
    assert (await verifier.actor(token)).name == "a@example.com"


SECRET_AUTH = AuthSettings(
    jwt_secret="k" * 40, issuer=ISSUER, audience=AUDIENCE, max_token_lifetime_seconds=600
)


# The changes are made from the time the test runs (`now`), never from the time it was collected.
@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (lambda now: {"exp": now - 100}, "expired"),
        (lambda now: {"aud": "other"}, "audience"),
        (lambda now: {"iss": "https://evil.example.com"}, "issuer"),
        (lambda now: {"iat": None}, "iat"),
        (lambda now: {"exp": now + 3600}, "lives longer than 600 s"),
        (lambda now: {"iat": now + 600, "exp": now + 900}, "not valid yet|future"),
        (lambda now: {"sub": ""}, "sub"),
        (lambda now: {"email": 5}, "email"),
        (lambda now: {"roles": "admin", "fms_user_id": "12"}, "fms_user_id"),
        (lambda now: {"roles": [1]}, "roles"),
    ],
)
async def test_claims_are_checked(changes: Callable[[int], dict[str, Any]], reason: str) -> None:
    body = {k: v for k, v in claims(**changes(int(time.time()))).items() if v is not None}
    token = jwt.encode(body, "k" * 40, algorithm="HS256")
    with pytest.raises(TokenRefused, match=reason):
        await TokenVerifier(SECRET_AUTH).actor(token)


async def test_the_leeway_tolerates_a_little_clock_skew() -> None:
    token = jwt.encode(
        claims(exp=int(time.time()) - 5, iat=int(time.time()) - 300), "k" * 40, algorithm="HS256"
    )
    assert (await TokenVerifier(SECRET_AUTH).actor(token)).name == "a@example.com"


def test_unknown_roles_are_dropped_and_a_string_is_split() -> None:
    actor = actor_from_claims({"sub": "x", "roles": "scheduler superuser admin"})
    assert actor.roles == {"scheduler", "admin"}
    assert actor_from_claims({"sub": "x"}).roles == frozenset()
