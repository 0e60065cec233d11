"""The Litestar application: routes, error mapping, OpenAPI, lifespan of the container's resources."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin

from entrypoints.http.assignment_routes import assignment_router
from entrypoints.http.bulk_routes import bulk_router
from entrypoints.http.calendar_page.routes import build_calendar_page_router
from entrypoints.http.calendar_routes import calendar_router
from entrypoints.http.checked_request import CheckedRequest
from entrypoints.http.creating_routes import creating_router
from entrypoints.http.dependencies import build_dependencies
from entrypoints.http.errors import EXCEPTION_HANDLERS
from entrypoints.http.fms_webhook_routes import build_fms_webhook_router
from entrypoints.http.guard_chain import guard_chain
from entrypoints.http.health_routes import health_router
from entrypoints.http.metrics_middleware import metrics_middleware
from entrypoints.http.metrics_routes import build_metrics_router
from entrypoints.http.openapi_security import document_security
from entrypoints.http.recovery_routes import recovery_router
from entrypoints.http.request_context import request_context_middleware
from entrypoints.http.security import OPENAPI_COMPONENTS, OPENAPI_SECURITY, security_layer
from entrypoints.http.sync_routes import build_sync_router
from entrypoints.http.text_guard import text_guard
from entrypoints.wiring.container import Container, shutdown


def create_app(container: Container, *, on_ready: Sequence[Callable[[], Awaitable[None]]] = ()) -> Litestar:
    """Build the app; the container's resources live as long as the app's lifespan."""

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        await container.init_resources()  # type: ignore[misc]
        try:
            for hook in on_ready:
                await hook()
            yield
        finally:
            await shutdown(container)  # bulk runs whose caller left record their outcomes first

    settings = container.settings()  # read once here to build the app; handlers get providers
    security = security_layer(settings)  # authentication, roles, rate limit, headers, CORS
    webhook = build_fms_webhook_router(settings.security.fms_webhook_secret)  # only with its secret
    app = Litestar(
        route_handlers=[
            *([webhook] if webhook is not None else []),
            build_metrics_router(security.authenticate, settings.security.metrics_token),
            assignment_router,
            bulk_router,
            calendar_router,
            creating_router,
            health_router,
            recovery_router,
            build_sync_router(settings.sync),
            build_calendar_page_router(settings),
        ],
        dependencies=build_dependencies(container),
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[request_context_middleware, metrics_middleware(container.metrics())],
        # text PostgreSQL cannot store: 400 naming the field; one guard, so one handler copy per request
        guards=[guard_chain(*security.guards, text_guard)],
        request_class=CheckedRequest,  # JSON bodies: nested at most 32 deep (400), storable text (400)
        before_send=security.before_send,
        cors_config=security.cors_config,
        lifespan=[lifespan],
        logging_config=None,  # stdlib records go through structlog (wiring/logging_setup.py)
        request_max_body_size=security.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="Media Scheduler",
            version="0.1.0",
            path="/schema",
            description="Calendar API of the press-fleet Media Scheduler and its FMS integration.",
            render_plugins=[SwaggerRenderPlugin()],
            components=OPENAPI_COMPONENTS,
            security=OPENAPI_SECURITY,
        ),
        debug=False,
    )
    document_security(app)  # 401/403/429 and the public operations in the OpenAPI schema
    return app
