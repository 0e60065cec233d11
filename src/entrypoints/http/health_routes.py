"""Routes: health checks."""

from __future__ import annotations

from typing import Any

from litestar import Response, Router, get

from application.port_errors import StorageUnavailable
from application.readiness import check_readiness
from entrypoints.http.dependencies import BulkRunsDep, ClockDep, HolderDep, ReadinessProbeDep, UowDep


@get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@get("/healthz/db")
async def healthz_db(uow_factory: UowDep) -> Response[dict[str, str]]:
    """The database answers a query."""
    try:
        async with uow_factory() as uow:
            await uow.reference.offices()
    except StorageUnavailable as exc:
        return Response({"status": "unavailable", "detail": str(exc)}, status_code=503)
    return Response({"status": "ok"}, status_code=200)


@get("/healthz/ready")
async def healthz_ready(
    readiness_probe: ReadinessProbeDep, holder: HolderDep, clock: ClockDep, bulk_runs: BulkRunsDep
) -> Response[dict[str, Any]]:
    """Ready for FMS work: the database takes writes, it confirmed this process's lease recently, and
    nothing this process holds waits with no call under way; else 503 with the reasons."""
    found = await check_readiness(
        probe=readiness_probe, holder=holder, clock=clock, calls_queued=len(bulk_runs) > 0
    )
    body: dict[str, Any] = {
        "status": "ready" if found.ready else "not_ready",
        "writable": found.writable,
        "lease_age_seconds": found.lease_age_seconds,
        "held_without_call": found.held_without_call,
    }
    if not found.ready:
        body["reasons"] = found.reasons
    return Response(body, status_code=200 if found.ready else 503)


health_router = Router(path="/", route_handlers=[healthz, healthz_db, healthz_ready], tags=["Health"])
