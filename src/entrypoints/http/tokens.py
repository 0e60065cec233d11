"""Bearer JWT verification: signature (HS256 secret or a JWKS), issuer, audience, expiry, identity claims."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

from application.records import Actor
from entrypoints.http.token_claims import TokenRefused, actor_from_claims, check_times
from entrypoints.settings.auth import AuthSettings

Fetch = Callable[[str], Awaitable[Mapping[str, Any]]]
MAX_TOKEN_CHARS = 8192
MIN_REFRESH_SECONDS = 30.0  # an unknown kid refetches the JWKS at most this often
VERIFIED_TOKENS = 1024  # tokens remembered after verification (each at most MAX_TOKEN_CHARS)
__all__ = ["KeysUnavailable", "TokenRefused", "TokenVerifier", "actor_from_claims"]


class KeysUnavailable(Exception):
    """The signing keys (JWKS) could not be fetched: tokens cannot be checked right now."""


async def fetch_json(url: str) -> Mapping[str, Any]:
    """GET a JSON document (the JWKS) without following redirects."""
    try:
        async with httpx.AsyncClient(timeout=5.0, follow_redirects=False) as client:
            response = await client.get(url, headers={"accept": "application/json"})
            response.raise_for_status()
            body = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise KeysUnavailable(f"the JWKS could not be fetched: {type(exc).__name__}") from exc
    if not isinstance(body, Mapping):
        raise KeysUnavailable("the JWKS is not a JSON object")
    return body


class JwksKeys:
    """Public signing keys from a JWKS URL, cached; only RSA/EC signature keys of allowed algorithms."""

    def __init__(
        self,
        url: str,
        *,
        algorithms: tuple[str, ...],
        cache_seconds: float,
        fetch: Fetch = fetch_json,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url, self._algorithms, self._cache_seconds = url, algorithms, cache_seconds
        self._fetch, self._clock = fetch, clock
        self._keys: list[jwt.PyJWK] = []
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()

    def _usable(self, document: Mapping[str, Any]) -> list[jwt.PyJWK]:
        keys = []
        for entry in document.get("keys") or []:
            if not isinstance(entry, dict) or entry.get("kty") not in ("RSA", "EC"):
                continue  # never a symmetric ("oct") key from a public document
            if entry.get("use", "sig") != "sig":
                continue
            try:
                key = jwt.PyJWK(entry)
            except jwt.PyJWTError:
                continue
            if key.algorithm_name in self._algorithms:
                keys.append(key)
        return keys

    async def _refresh(self, *, force: bool) -> None:
        async with self._lock:
            now = self._clock()
            age = None if self._fetched_at is None else now - self._fetched_at
            if age is not None and (age < MIN_REFRESH_SECONDS or (not force and age < self._cache_seconds)):
                return
            try:
                document = await self._fetch(self._url)
            except KeysUnavailable:
                if not self._keys:
                    raise
                self._fetched_at = now  # keep the keys we have; try again later
                return
            self._keys = self._usable(document)
            self._fetched_at = now

    def _pick(self, kid: object, alg: str) -> jwt.PyJWK | None:
        matching = [k for k in self._keys if k.algorithm_name == alg]
        if kid is None:
            return matching[0] if len(matching) == 1 else None
        return next((k for k in matching if k.key_id == kid), None)

    async def key_for(self, header: Mapping[str, Any]) -> jwt.PyJWK:
        """The key that signed a token with this header (refetching once for an unknown kid)."""
        await self._refresh(force=False)
        key = self._pick(header.get("kid"), str(header.get("alg")))
        if key is None:
            await self._refresh(force=True)
            key = self._pick(header.get("kid"), str(header.get("alg")))
        if key is None:
            raise TokenRefused("token signed by an unknown key")
        return key


_REASONS: list[tuple[type[Exception], str]] = [
    (jwt.exceptions.InvalidSubjectError, "token sub claim must be a non-empty string"),
    (jwt.InvalidAudienceError, "token not meant for this service (audience)"),
    (jwt.InvalidIssuerError, "token from an unknown issuer"),
    (jwt.InvalidSignatureError, "token signature invalid"),
    (jwt.InvalidAlgorithmError, "token algorithm not allowed"),
]


def _reason(error: jwt.PyJWTError) -> str:
    if isinstance(error, jwt.MissingRequiredClaimError):
        return f"token lacks the {error.claim} claim"
    return next((text for kind, text in _REASONS if isinstance(error, kind)), "token invalid")


@dataclass(frozen=True)
class _Verified:
    """A token whose signature, issuer, audience and identity claims passed, and with which key."""

    header: Mapping[str, Any]
    key: jwt.PyJWK | str
    claims: Mapping[str, Any]
    actor: Actor


class TokenVerifier:
    """Checks a bearer token against the configured key, issuer, audience and lifetime.

    A browser sends the same token with every call until it expires: a token that passed is remembered
    by its text (the most recent VERIFIED_TOKENS of them), so its signature is checked once; its times
    are checked against the clock on every call, and it is verified again when its key is no longer the
    one the JWKS names (a refetch, a rotation).
    """

    def __init__(
        self,
        auth: AuthSettings,
        *,
        fetch: Fetch = fetch_json,
        clock: Callable[[], float] = time.time,
        remember: int = VERIFIED_TOKENS,
    ) -> None:
        self._auth = auth
        self._clock, self._remember = clock, remember
        self._verified: OrderedDict[str, _Verified] = OrderedDict()
        self._jwks = (
            JwksKeys(
                auth.jwks_url, algorithms=auth.algorithms, cache_seconds=auth.jwks_cache_seconds, fetch=fetch
            )
            if auth.jwks_url
            else None
        )

    async def actor(self, token: str) -> Actor:
        """The verified identity; TokenRefused with the reason otherwise."""
        if len(token) > MAX_TOKEN_CHARS:
            raise TokenRefused("token too long")
        known = self._verified.pop(token, None)
        if known is not None:
            key = await self._jwks.key_for(known.header) if self._jwks else known.key
            if key is known.key:  # else verified again below, with the key the JWKS names now
                self._check_times(known.claims)
                self._keep(token, known)
                return known.actor
        verified = await self._verify(token)
        self._keep(token, verified)
        return verified.actor

    def _check_times(self, claims: Mapping[str, Any]) -> None:
        auth = self._auth
        check_times(
            claims,
            leeway=auth.leeway_seconds,
            max_lifetime=auth.max_token_lifetime_seconds,
            now=self._clock(),
        )

    def _keep(self, token: str, verified: _Verified) -> None:
        self._verified[token] = verified
        while len(self._verified) > self._remember:
            self._verified.popitem(last=False)  # the least recently used

    async def _verify(self, token: str) -> _Verified:
        auth = self._auth
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise TokenRefused("malformed token") from None
        if header.get("alg") not in auth.algorithms:
            raise TokenRefused("token algorithm not allowed")
        key: jwt.PyJWK | str = await self._jwks.key_for(header) if self._jwks else str(auth.jwt_secret)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=list(auth.algorithms),
                audience=auth.audience,
                issuer=auth.issuer,
                options={
                    "require": ["exp", "iat", "sub"],
                    "enforce_minimum_key_length": True,
                    # left to check_times, which also checks their type (PyJWT takes "123" for 123)
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
        except jwt.PyJWTError as error:
            raise TokenRefused(_reason(error)) from None
        self._check_times(claims)
        return _Verified(header, key, claims, actor_from_claims(claims))
