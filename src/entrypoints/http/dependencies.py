"""Bridges from the container to Litestar handlers (Provide functions; no @inject wiring)."""

from __future__ import annotations

from typing import Any

from litestar.di import NamedDependency, Provide
from litestar.params import SkipValidation

from application.ports import Clock, FmsGateway, UnitOfWorkFactory
from application.records import Actor, RequestSettings
from entrypoints.config import Settings
from entrypoints.container import Container, resolve

# Ports are Protocols, which cannot be checked at run time: skip Litestar's validation of them.
UowDep = NamedDependency[SkipValidation[UnitOfWorkFactory]]
FmsDep = NamedDependency[SkipValidation[FmsGateway]]
ClockDep = NamedDependency[SkipValidation[Clock]]
ActorDep = NamedDependency[Actor]
RequestSettingsDep = NamedDependency[RequestSettings]
SettingsDep = NamedDependency[Settings]


def build_dependencies(container: Container) -> dict[str, Provide]:
    """One Provide per port or setting the handlers ask for by parameter name."""

    async def uow_factory() -> UnitOfWorkFactory:
        factory: UnitOfWorkFactory = await resolve(container.uow_factory)
        return factory

    async def fms() -> FmsGateway:
        gateway: FmsGateway = await resolve(container.fms_gateway)
        return gateway

    async def clock() -> Clock:
        value: Clock = await resolve(container.clock)
        return value

    async def request_settings() -> RequestSettings:
        value: RequestSettings = await resolve(container.request_settings)
        return value

    async def settings() -> Settings:
        value: Settings = await resolve(container.settings)
        return value

    async def actor() -> Actor:
        # Until authentication lands, every call acts as the configured sandbox identity.
        s: Settings = await resolve(container.settings)
        return Actor(name=s.dev_actor)

    async def database() -> Any:
        return await resolve(container.database)

    return {
        "uow_factory": Provide(uow_factory),
        "fms": Provide(fms),
        "clock": Provide(clock),
        "request_settings": Provide(request_settings),
        "settings": Provide(settings),
        "actor": Provide(actor),
        "database": Provide(database),
    }
