"""The composition root: which adapter serves each port, chosen by configuration."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import AsyncIterator
from typing import Any

import structlog
from dependency_injector import containers, providers

from adapters.fms_http.gateway import HttpFmsGateway
from adapters.memory.fms_gateway import MemoryFmsGateway
from adapters.memory.readiness import MemoryReadinessProbe
from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from adapters.memory.unsettled import MemoryUnsettledOperations
from adapters.memory.worker_lock import MemoryWorkerLock
from adapters.metrics.fms import metered
from adapters.metrics.registry import ServiceMetrics
from adapters.postgres.calendar_view import PostgresCalendarView
from adapters.postgres.clock import PostgresClock
from adapters.postgres.embedded import EmbeddedPostgres
from adapters.postgres.migrations import apply_migrations
from adapters.postgres.pool import create_pool
from adapters.postgres.readiness import PostgresReadinessProbe
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from adapters.postgres.unsettled import PostgresUnsettledOperations
from adapters.postgres.worker_lock import PostgresWorkerLock
from adapters.system_clock import SystemClock
from application.bulk import BulkSettings
from application.calendar_view import UowCalendarView
from application.protocol.ports import ProtocolPorts
from application.records import BookingLimits, RequestSettings
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.limits import LimitSettings
from entrypoints.settings.service import Settings
from entrypoints.wiring.fms import (
    describe_fms,
    endpoint_for,
    gateway_kind,
    open_fms_http_client,
    run_sandbox_simulator,
    with_sandbox_webhook,
)
from entrypoints.wiring.sync import SyncProviders
from entrypoints.workers.bulk_runs import BulkRuns
from entrypoints.workers.hold_heartbeat import hold_heartbeat, process_holder
from entrypoints.workers.recovery import finder_of, recovery_worker

log = structlog.get_logger("media_scheduler.container")


async def open_database(settings: Settings) -> AsyncIterator[Any]:
    """The asyncpg pool (None for the memory backend): embedded server started and migrated if needed."""
    if settings.storage_backend != "postgres":
        yield None
        return
    embedded: EmbeddedPostgres | None = None
    dsn = settings.database_url
    if dsn is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        log.info("starting embedded postgresql", data_dir=str(settings.data_dir.resolve()))
        embedded = await asyncio.to_thread(EmbeddedPostgres.start, settings.data_dir.resolve())
        dsn = embedded.dsn
    try:
        pool = await create_pool(dsn, acquire_timeout=settings.db_pool_timeout_seconds)
        try:
            applied = await apply_migrations(pool)
            log.info("database ready", migrations_applied=applied, embedded=embedded is not None)
            yield pool
        finally:
            await pool.close()
    finally:
        if embedded is not None:
            await asyncio.to_thread(embedded.stop)
            log.info("embedded postgresql stopped")


def sandbox_gateway(fms: FmsSettings) -> MemoryFmsGateway:
    """The built-in FMS sandbox with the configured latency.

    Its ids start from the clock so that a restarted sandbox never reuses an id still stored on an
    assignment (deleting that one would then hit an unrelated request).
    """
    return MemoryFmsGateway(latency_seconds=fms.sandbox_latency_ms / 1000, first_id=int(time.time()))


def request_settings(fms: FmsSettings) -> RequestSettings:
    """How FMS requests are shaped in this environment."""
    return RequestSettings(
        default_requestor_id=fms.default_requestor_id, activity_type_id=fms.activity_type_id
    )


def booking_limits(limits: LimitSettings) -> BookingLimits:
    """How much one save may create (CHAIN_MAX_SLOTS, LOAN_MAX_DAYS)."""
    return BookingLimits(max_slots=limits.chain_max_slots, loan_max_days=limits.loan_max_days)


def bulk_settings(limits: LimitSettings) -> BulkSettings:
    """How large one bulk call may be and how many FMS calls it keeps under way (BULK_MAX_ITEMS,
    FMS_MAX_CONCURRENCY)."""
    return BulkSettings(max_items=limits.bulk_max_items, max_concurrency=limits.fms_max_concurrency)


class Container(containers.DeclarativeContainer):
    """Every adapter of the service, wired from Settings; each consumer gets only its branch."""

    config = providers.Configuration()
    settings = providers.Object(Settings())
    fms_settings = settings.provided.fms
    limits = settings.provided.limits
    recovery_settings = settings.provided.recovery
    database = providers.Resource(open_database, settings=settings)
    uow_factory = providers.Selector(
        config.storage_backend,
        postgres=providers.Singleton(PostgresUnitOfWorkFactory, pool=database),
        memory=providers.Singleton(MemoryUnitOfWorkFactory),
    )
    calendar_view = providers.Selector(  # the calendar's read model: one statement on PostgreSQL
        config.storage_backend,
        postgres=providers.Singleton(PostgresCalendarView, pool=database),
        memory=providers.Singleton(UowCalendarView, uow_factory=uow_factory),
    )
    # Sandbox with the simulator, staging and production: the same HTTP gateway with other settings.
    fms_simulator = providers.Resource(run_sandbox_simulator, settings=settings)
    fms_endpoint = providers.Singleton(endpoint_for, fms=fms_settings, simulator=fms_simulator)
    fms_http_client = providers.Resource(open_fms_http_client, fms=fms_settings, endpoint=fms_endpoint)
    fms_gateway = providers.Selector(
        config.fms_gateway,
        memory=providers.Singleton(sandbox_gateway, fms=fms_settings),
        http=providers.Singleton(HttpFmsGateway, client=fms_http_client, endpoint=fms_endpoint),
    )
    metrics = providers.Singleton(ServiceMetrics)  # this container's own registry
    metered_fms = providers.Singleton(metered, gateway=fms_gateway, metrics=metrics)  # every caller, once
    unsettled_operations = providers.Selector(
        config.storage_backend,
        postgres=providers.Singleton(PostgresUnsettledOperations, pool=database),
        memory=providers.Singleton(MemoryUnsettledOperations, factory=uow_factory),
    )
    readiness_probe = providers.Selector(
        config.storage_backend,
        postgres=providers.Singleton(PostgresReadinessProbe, pool=database),
        memory=providers.Singleton(MemoryReadinessProbe, factory=uow_factory),
    )
    fms_description = providers.Singleton(describe_fms, fms=fms_settings, endpoint=fms_endpoint)
    clock = providers.Selector(  # the database's time: the one clock leases and quiet times are read on
        config.storage_backend,
        postgres=providers.Singleton(PostgresClock, pool=database),
        memory=providers.Singleton(SystemClock),
    )
    # This process's holds on FMS operations: a lease renewed by a heartbeat while the service runs.
    holder = providers.Resource(
        hold_heartbeat,
        holder=providers.Singleton(process_holder, recovery=recovery_settings, fms=fms_settings),
        uow_factory=uow_factory,
        fms=metered_fms,
        clock=clock,
    )
    protocol_ports = providers.Factory(
        ProtocolPorts, uow_factory=uow_factory, fms=metered_fms, clock=clock, holder=holder
    )
    request_settings = providers.Singleton(request_settings, fms=fms_settings)
    booking_limits = providers.Singleton(booking_limits, limits=limits)
    bulk_settings = providers.Singleton(bulk_settings, limits=limits)
    bulk_runs = providers.Singleton(BulkRuns)
    worker_lock = providers.Selector(
        config.storage_backend,
        postgres=providers.Singleton(PostgresWorkerLock, pool=database),
        memory=providers.Singleton(MemoryWorkerLock),
    )
    fms_finder = providers.Factory(finder_of, gateway=metered_fms, fms=fms_settings)
    recovery = providers.Resource(
        recovery_worker,
        settings=recovery_settings,
        ports=protocol_ports,
        lock=worker_lock,
        finder=fms_finder,
        metrics=metrics,
    )
    sync = providers.Container(  # reports, loader, runs, lock, runner, nightly scheduler
        SyncProviders,
        config=config,
        settings=settings,
        database=database,
        uow_factory=uow_factory,
        clock=clock,
        simulator=fms_simulator,
        metrics=metrics,
    )


def build_container(settings: Settings) -> Container:
    """A container configured from the given settings."""
    container = Container()
    settings = with_sandbox_webhook(settings)  # the simulator pushes approvals to this service
    container.settings.override(providers.Object(settings))
    container.config.from_dict(
        {
            "storage_backend": settings.storage_backend,
            "fms_environment": settings.fms.environment,
            "fms_gateway": gateway_kind(settings),
        }
    )
    return container


async def resolve(provider: Any) -> Any:
    """Call a provider, awaiting the result when it depends on an async resource."""
    value = provider()
    if inspect.isawaitable(value):
        return await value
    return value


async def shutdown(container: Container) -> None:
    """Stop in dependency order: queued FMS calls are not sent any more; calls under way get up to the
    longest call to end and record their outcomes (those still running are then cancelled); the
    recovery worker stops; this process stores what it owes and gives its hold up (or lets it lapse
    after a quiet time when calls were cut off); then every other resource."""
    if container.holder.initialized:
        (await resolve(container.holder)).stop()  # queued FMS calls are not sent any more
    fms: FmsSettings = await resolve(container.fms_settings)
    await container.bulk_runs().wait(grace_seconds=fms.longest_call_seconds)
    for provider in (container.recovery, container.holder):
        stopped = provider.shutdown()
        if inspect.isawaitable(stopped):
            await stopped
    await container.shutdown_resources()  # type: ignore[misc]
