"""Bridges from the container to Litestar handlers (Provide functions; no @inject wiring)."""

from __future__ import annotations

from typing import Any

from litestar.di import NamedDependency, Provide
from litestar.params import SkipValidation

from adapters.csv_http.ingest import UrlIngest
from adapters.metrics.registry import ServiceMetrics
from application.bulk import BulkSettings
from application.ports import (
    CalendarView,
    Clock,
    FmsGateway,
    FmsRequestFinder,
    ReadinessProbe,
    UnitOfWorkFactory,
    UnsettledOperations,
)
from application.protocol.holds import Holder
from application.protocol.ports import ProtocolPorts
from application.records import Actor, BookingLimits, RequestSettings
from application.sync.run import SyncRunner
from entrypoints.http.auth import current_actor
from entrypoints.settings.sync import SyncSettings
from entrypoints.wiring.container import Container, resolve
from entrypoints.wiring.fms import FmsDescription
from entrypoints.workers.bulk_runs import BulkRuns
from entrypoints.workers.sync_scheduler import SyncScheduler

# Ports are Protocols, which cannot be checked at run time: skip Litestar's validation of them.
UowDep = NamedDependency[SkipValidation[UnitOfWorkFactory]]
CalendarViewDep = NamedDependency[SkipValidation[CalendarView]]
FmsDep = NamedDependency[SkipValidation[FmsGateway]]
ClockDep = NamedDependency[SkipValidation[Clock]]
HolderDep = NamedDependency[SkipValidation[Holder]]
FinderDep = NamedDependency[SkipValidation[FmsRequestFinder | None]]
PortsDep = NamedDependency[SkipValidation[ProtocolPorts]]
ActorDep = NamedDependency[Actor]
RequestSettingsDep = NamedDependency[RequestSettings]
LimitsDep = NamedDependency[BookingLimits]
BulkSettingsDep = NamedDependency[BulkSettings]
SyncSettingsDep = NamedDependency[SyncSettings]
BulkRunsDep = NamedDependency[SkipValidation[BulkRuns]]
FmsDescriptionDep = NamedDependency[FmsDescription]
SyncRunnerDep = NamedDependency[SkipValidation[SyncRunner]]
SyncSchedulerDep = NamedDependency[SkipValidation[SyncScheduler]]
UrlIngestDep = NamedDependency[SkipValidation[UrlIngest]]
MetricsDep = NamedDependency[SkipValidation[ServiceMetrics]]
UnsettledDep = NamedDependency[SkipValidation[UnsettledOperations]]
ReadinessProbeDep = NamedDependency[SkipValidation[ReadinessProbe]]


def _bridge(provider: Any) -> Provide:
    """A Provide that resolves one container provider per request (awaiting async resources)."""

    async def dependency() -> Any:
        return await resolve(provider)

    return Provide(dependency)


def build_dependencies(container: Container) -> dict[str, Provide]:
    """One Provide per port or setting the handlers ask for by parameter name (never the whole Settings)."""
    return {
        "uow_factory": _bridge(container.uow_factory),
        "calendar_view": _bridge(container.calendar_view),
        "fms": _bridge(container.metered_fms),
        "clock": _bridge(container.clock),
        "holder": _bridge(container.holder),
        "fms_finder": _bridge(container.fms_finder),
        "ports": _bridge(container.protocol_ports),
        "request_settings": _bridge(container.request_settings),
        "booking_limits": _bridge(container.booking_limits),
        "bulk_settings": _bridge(container.bulk_settings),
        "bulk_runs": _bridge(container.bulk_runs),
        "sync_settings": _bridge(container.sync.sync_settings),
        "fms_description": _bridge(container.fms_description),
        "sync_runner": _bridge(container.sync.runner),
        "sync_scheduler": _bridge(container.sync.scheduler),
        "url_ingest": _bridge(container.sync.ingest),
        "metrics": _bridge(container.metrics),
        "unsettled": _bridge(container.unsettled_operations),
        "readiness_probe": _bridge(container.readiness_probe),
        "actor": Provide(current_actor),  # the identity the authentication guard verified
    }
