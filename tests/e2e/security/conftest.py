"""Fixtures: the real app on memory storage with authentication, CORS and framing configured."""

from __future__ import annotations

import io
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, replace
from typing import Any

import pytest
import structlog
from litestar import Litestar
from litestar.testing import AsyncTestClient

from adapters.memory.fms_gateway import MemoryFmsGateway
from application.ports import UnitOfWorkFactory
from entrypoints.http.app import create_app
from entrypoints.settings.auth import AuthSettings
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.security import SecuritySettings
from entrypoints.settings.service import Settings
from entrypoints.wiring.container import build_container
from entrypoints.wiring.logging_setup import configure_logging
from tests.e2e.security.tokens import AUDIENCE, FMS_ORIGIN, ISSUER, SECRET
from tests.e2e.world import Client, seed

AUTH = AuthSettings(jwt_secret=SECRET, issuer=ISSUER, audience=AUDIENCE)
SECURITY = SecuritySettings(
    auth=AUTH,
    cors_allow_origins=("https://calendar.example.com",),
    frame_ancestors=("'self'", FMS_ORIGIN),
    max_body_bytes=4096,
)


@dataclass
class Secured:
    """A client on an app with authentication on, and the sandbox FMS and storage behind it."""

    client: Client
    app: Litestar
    gateway: MemoryFmsGateway
    factory: UnitOfWorkFactory
    settings: Settings


SecuredFactory = Callable[..., AbstractAsyncContextManager[Secured]]


@asynccontextmanager
async def secured_app(**security_changes: Any) -> AsyncIterator[Secured]:
    """The app with SECURITY, changed as asked (e.g. rate_limit_fms_per_minute=2)."""
    settings = Settings(
        storage_backend="memory",
        demo_data=False,
        security=replace(SECURITY, **security_changes),
        fms=FmsSettings(sandbox_latency_ms=0, sandbox="memory"),
    )
    container = build_container(settings)
    factory: UnitOfWorkFactory = container.uow_factory()
    gateway = container.fms_gateway()
    assert isinstance(gateway, MemoryFmsGateway)
    await seed(factory)
    app = create_app(container)
    async with AsyncTestClient(app=app) as client:
        yield Secured(client, app, gateway, factory, settings)


@pytest.fixture
async def secured() -> AsyncIterator[Secured]:
    """The secured app with the default test security settings."""
    async with secured_app() as env:
        yield env


@pytest.fixture
def make_secured() -> SecuredFactory:
    """Build a secured app with other security settings: `async with make_secured(...) as env`."""
    return secured_app


@pytest.fixture
def log_output(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """Every log line of the test, rendered as in production (JSON, secrets filter included)."""
    buffer = io.StringIO()
    previous = structlog.get_config()
    monkeypatch.setattr(sys, "stderr", buffer)
    configure_logging("DEBUG", "json")
    try:
        yield buffer
    finally:
        structlog.configure(**previous)
