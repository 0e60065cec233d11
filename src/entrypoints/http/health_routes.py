"""Routes: health checks."""

from __future__ import annotations

from litestar import Response, Router, get

from application.port_errors import StorageUnavailable
from entrypoints.http.dependencies import UowDep


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


health_router = Router(path="/", route_handlers=[healthz, healthz_db], tags=["Health"])
