"""How the container wires the sync: report sources, loader, run log, lock, runner and the scheduler."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
from dependency_injector import containers, providers

from adapters.csv_http.ingest import UrlIngest, ingest_policy
from adapters.csv_http.source import DownloadLimits, HttpReportSources
from adapters.memory.report_loader import MemoryReportLoader
from adapters.memory.sync_runs import MemorySyncLock, MemorySyncRunLog
from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from adapters.metrics.sync_runs import MeteredSyncLock, MeteredSyncRunLog
from adapters.postgres.report_loader import PostgresReportLoader
from adapters.postgres.sync_runs import PostgresSyncLock, PostgresSyncRunLog
from application.sync.records import LoadPolicy, ReportName
from application.sync.run import SyncRunner
from entrypoints.settings.service import Settings
from entrypoints.settings.sync import REPORT_URL_SETTINGS
from entrypoints.workers.sync_scheduler import run_sync_scheduler
from fms_simulator.server import SimulatorServer


def report_urls(settings: Settings, simulator: SimulatorServer | None) -> dict[ReportName, str]:
    """The configured report URLs; in the sandbox, the built-in simulator's reports for the others."""
    urls = settings.sync.urls
    if simulator is not None:
        for report in ReportName:
            urls.setdefault(report, f"{simulator.url}/reports/{report.value}.csv")
    return urls


async def open_report_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The httpx client that fetches reports (redirects are followed per request, when allowed)."""
    timeout = httpx.Timeout(settings.sync.http_timeout_seconds, connect=10.0)
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
        yield client


def download_limits(settings: Settings) -> DownloadLimits:
    """Each report download's deadline and byte cap (SYNC_HTTP_DEADLINE_SECONDS, SYNC_MAX_DOWNLOAD_MB)."""
    return DownloadLimits(
        deadline_seconds=settings.sync.http_deadline_seconds, max_bytes=settings.sync.max_download_bytes
    )


def report_sources(
    settings: Settings, client: httpx.AsyncClient, simulator: SimulatorServer | None
) -> HttpReportSources:
    """Each report's URL, read with the report client."""
    return HttpReportSources(
        client, report_urls(settings, simulator), REPORT_URL_SETTINGS, limits=download_limits(settings)
    )


def url_ingest(settings: Settings, client: httpx.AsyncClient, simulator: SimulatorServer | None) -> UrlIngest:
    """Ingest-from-URL on the configured report hosts only."""
    urls = list(report_urls(settings, simulator).values())
    return UrlIngest(
        client, ingest_policy(settings.security.report_policy, urls), limits=download_limits(settings)
    )


def memory_report_loader(factory: MemoryUnitOfWorkFactory) -> MemoryReportLoader:
    """The memory loader over the memory units of work's store."""
    return MemoryReportLoader(factory.store)


def load_policy(settings: Settings) -> LoadPolicy:
    """The configured rejection thresholds."""
    return settings.sync.policy


class SyncProviders(containers.DeclarativeContainer):
    """The sync's adapters, nested in the service's container (it passes the shared providers in)."""

    config = providers.Configuration()
    settings = providers.Dependency(instance_of=Settings)
    database: providers.Dependency[Any] = providers.Dependency()
    uow_factory: providers.Dependency[Any] = providers.Dependency()
    clock: providers.Dependency[Any] = providers.Dependency()
    simulator: providers.Dependency[Any] = providers.Dependency()
    metrics: providers.Dependency[Any] = providers.Dependency()

    sync_settings = settings.provided.sync
    report_client = providers.Resource(open_report_client, settings=settings)
    sources = providers.Singleton(
        report_sources, settings=settings, client=report_client, simulator=simulator
    )
    ingest = providers.Singleton(url_ingest, settings=settings, client=report_client, simulator=simulator)
    loader = providers.Selector(
        config.storage_backend,
        postgres=providers.Singleton(PostgresReportLoader, pool=database),
        memory=providers.Singleton(memory_report_loader, factory=uow_factory),
    )
    stored_runs = providers.Selector(
        config.storage_backend,
        postgres=providers.Singleton(PostgresSyncRunLog, pool=database),
        memory=providers.Singleton(MemorySyncRunLog),
    )
    runs = providers.Singleton(MeteredSyncRunLog, inner=stored_runs, metrics=metrics)  # the readers
    stored_lock = providers.Selector(
        config.storage_backend,
        postgres=providers.Singleton(PostgresSyncLock, pool=database),
        memory=providers.Singleton(MemorySyncLock, runs=stored_runs),
    )
    # A run records itself through the lock's run log (its session): metered there, every run once.
    lock = providers.Singleton(MeteredSyncLock, inner=stored_lock, metrics=metrics)
    runner = providers.Singleton(
        SyncRunner,
        sources=sources,
        loader=loader,
        runs=runs,
        lock=lock,
        uow_factory=uow_factory,
        clock=clock,
        policy=providers.Callable(load_policy, settings=settings),
    )
    scheduler = providers.Resource(run_sync_scheduler, settings=sync_settings, runner=runner)
