"""Route: GET /metrics, the Prometheus text exposition of this replica's metrics (README: Metrics).

Access: a bearer token with the admin role, or `Authorization: Bearer <METRICS_TOKEN>` when that is
set (compared in constant time); the sandbox without authentication is open, like every route there.
"""

from __future__ import annotations

import hmac

import structlog
from litestar import Response, Router, get
from litestar.handlers.base import BaseRouteHandler

from adapters.fms_http.secret import Secret
from adapters.metrics.registry import CONTENT_TYPE
from application.port_errors import StorageUnavailable
from application.records import Actor
from entrypoints.http.auth import ADMIN, Authenticator, Connection, Guard, admin_only
from entrypoints.http.dependencies import MetricsDep, UnsettledDep
from entrypoints.settings.ops_paths import METRICS_PATH

log = structlog.get_logger("media_scheduler.metrics")
# Who a METRICS_TOKEN caller is, for this route only (its one guard-visible role is admin).
SCRAPER = Actor(name="metrics-scraper", fms_user_id=None, roles=frozenset({ADMIN}))


def _scraper_token(connection: Connection) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _same(sent: str, token: Secret) -> bool:
    return hmac.compare_digest(sent.encode(), token.reveal().encode())


def metrics_guard(authenticate: Authenticator, token: Secret | None) -> Guard:
    """Identify the caller: METRICS_TOKEN (constant-time compare) is the scraper, else the bearer
    token's person; admin_only, after it, then requires the admin role."""

    async def guard(connection: Connection, _: BaseRouteHandler) -> None:
        sent = _scraper_token(connection)
        if token is not None and sent is not None and _same(sent, token):
            connection.scope["user"] = SCRAPER
            return
        connection.scope["user"] = await authenticate(connection)

    return guard


@get(METRICS_PATH, include_in_schema=False)
async def metrics_exposition(metrics: MetricsDep, unsettled: UnsettledDep) -> Response[bytes]:
    """This replica's counters, with the unsettled operations read from the database now."""
    try:
        metrics.set_unsettled(await unsettled.counts())
    except StorageUnavailable as exc:  # the other metrics still say what this replica did
        log.warning("unsettled operations not counted", error=str(exc))
    return Response(metrics.exposition(), media_type=CONTENT_TYPE)


def build_metrics_router(authenticate: Authenticator, token: Secret | None) -> Router:
    """GET /metrics behind its own guard."""
    return Router(
        path="/",
        route_handlers=[metrics_exposition],
        guards=[metrics_guard(authenticate, token), admin_only],
        tags=["Operations"],
    )
