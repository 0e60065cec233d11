"""Who is calling: bearer-token authentication, role guards, and the `actor` dependency.

Every route needs an authenticated caller with the `scheduler` role, except the public paths below
and routes guarded by `admin_only`, which need the `admin` role instead. New routes are covered
without any change here; an admin route only adds `guards=[admin_only]` (on the handler or its Router).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException, ServiceUnavailableException
from litestar.handlers.base import BaseRouteHandler

from application.records import Actor
from entrypoints.http.page_paths import is_page_path
from entrypoints.http.tokens import KeysUnavailable, TokenRefused, TokenVerifier
from entrypoints.settings.ops_paths import SELF_GUARDED_PATHS
from entrypoints.settings.service import Settings

log = structlog.get_logger("media_scheduler.auth")

SCHEDULER = "scheduler"
ADMIN = "admin"
# Public by decision (README: Authentication): liveness probes and the OpenAPI schema with its UIs.
PUBLIC_PATHS = frozenset({"/healthz", "/healthz/db", "/healthz/ready"})
PUBLIC_PREFIX = "/schema"
_BEARER = re.compile(r"^Bearer +([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*\.[A-Za-z0-9_\-]*) *$", re.IGNORECASE)

Connection = ASGIConnection[Any, Any, Any, Any]
Authenticator = Callable[[Connection], Awaitable[Actor]]
Guard = Callable[[Connection, BaseRouteHandler], Awaitable[None]]


def is_public(path: str) -> bool:
    """True for the paths anyone may call without a token (the calendar page's files hold no data)."""
    return (
        path in PUBLIC_PATHS
        or path == PUBLIC_PREFIX
        or path.startswith(f"{PUBLIC_PREFIX}/")
        or is_page_path(path)
    )


def _needs_no_actor(connection: Connection) -> bool:
    # OPTIONS answers only which methods exist (CORS preflights are answered before routing).
    # /metrics and the FMS webhook check their callers with guards of their own (ops_paths.py).
    path = connection.scope["path"]
    return connection.scope.get("method") == "OPTIONS" or is_public(path) or path in SELF_GUARDED_PATHS


def unauthorized(reason: str) -> NotAuthorizedException:
    """A 401 that tells the client how to authenticate."""
    challenge = 'Bearer realm="media-scheduler"'
    if reason != "authentication required":
        challenge += ', error="invalid_token"'
    return NotAuthorizedException(detail=reason, headers={"WWW-Authenticate": challenge})


def dev_authenticator(settings: Settings) -> Authenticator:
    """The sandbox without auth configuration: every call is the DEV_ACTOR with both roles."""
    actor = Actor(name=settings.dev_actor, fms_user_id=None, roles=frozenset({SCHEDULER, ADMIN}))

    async def authenticate(_: Connection) -> Actor:
        return actor

    return authenticate


def bearer_authenticator(verifier: TokenVerifier) -> Authenticator:
    """The identity in the request's `Authorization: Bearer` token, verified."""

    async def authenticate(connection: Connection) -> Actor:
        header = connection.headers.get("authorization")
        if not header:
            if "embed_token" in connection.query_params:
                raise unauthorized("send the embed token as 'Authorization: Bearer <token>', not in the URL")
            raise unauthorized("authentication required")
        match = _BEARER.match(header)
        if match is None:
            raise unauthorized("the Authorization header must be 'Bearer <JWT>'")
        try:
            return await verifier.actor(match.group(1))
        except TokenRefused as refused:
            raise unauthorized(str(refused)) from None
        except KeysUnavailable as exc:
            log.error("token keys unavailable", error=str(exc))
            raise ServiceUnavailableException(detail="tokens cannot be verified right now; retry") from None

    return authenticate


def build_authenticator(settings: Settings) -> Authenticator:
    """Bearer tokens when configured, else the sandbox's development identity."""
    auth = settings.security.auth
    return bearer_authenticator(TokenVerifier(auth)) if auth.enabled else dev_authenticator(settings)


def authentication_guard(authenticate: Authenticator) -> Guard:
    """App-level guard: identify the caller of every non-public route and bind it to the logs."""

    async def guard(connection: Connection, _: BaseRouteHandler) -> None:
        if _needs_no_actor(connection):
            return
        try:
            actor = await authenticate(connection)
        except NotAuthorizedException as exc:
            log.info("authentication refused", reason=exc.detail)
            raise
        connection.scope["user"] = actor
        structlog.contextvars.bind_contextvars(actor=actor.name)

    return guard


def require_role(connection: Connection, role: str) -> None:
    """403 unless the authenticated caller has the role."""
    actor = connection.scope.get("user")
    if not isinstance(actor, Actor):
        raise unauthorized("authentication required")
    if role not in actor.roles:
        log.warning("permission denied", needed_role=role, roles=sorted(actor.roles))
        raise PermissionDeniedException(detail=f"this needs the {role} role")


async def admin_only(connection: Connection, _: BaseRouteHandler) -> None:
    """Guard for admin routes (sync, ingest, resolve, configuration): the caller needs the admin role."""
    require_role(connection, ADMIN)


async def role_guard(connection: Connection, handler: BaseRouteHandler) -> None:
    """App-level guard: the scheduler role everywhere, unless the route is public or admin_only."""
    if _needs_no_actor(connection) or admin_only in handler.resolve_guards():
        return
    require_role(connection, SCHEDULER)


async def current_actor(request: Request[Any, Any, Any]) -> Actor:
    """The `actor` dependency: the identity the authentication guard verified."""
    actor = request.scope.get("user")
    if not isinstance(actor, Actor):
        raise unauthorized("authentication required")
    return actor
