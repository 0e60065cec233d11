"""Routes: bulk request, unrequest and delete (spec: http-api.md, Bulk).

The answer is one JSON report; with `Accept: application/x-ndjson` or `?stream=ndjson` it is NDJSON
instead: a `started` line, one `item` line as each item finishes, then a `summary` line. Errors that
stop the whole batch (400 malformed body, 413 too many ids, 422 empty list, 503 database) are answered
before any line, as plain JSON errors.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Literal

import msgspec
import structlog
from litestar import Response, Router, post
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromHeader, FromQuery, JSONBody
from litestar.response import Stream

from application.bulk import BulkAction, BulkRun, BulkSettings, ItemResult, start_bulk
from application.ports import Clock, FmsGateway, UnitOfWorkFactory
from application.protocol.holds import Holder
from application.records import Actor, RequestSettings
from entrypoints.config import Settings
from entrypoints.http.bulk_schemas import (
    BulkInput,
    BulkResponse,
    StartedLine,
    SummaryLine,
    bulk_response,
    error_code,
    item_line,
)
from entrypoints.http.dependencies import (
    ActorDep,
    ClockDep,
    FmsDep,
    HolderDep,
    RequestSettingsDep,
    SettingsDep,
    UowDep,
)
from entrypoints.http.openapi_errors import error_responses

log = structlog.get_logger("media_scheduler.http.bulk")
NDJSON = "application/x-ndjson"
_RESPONSES = {
    200: ResponseSpec(
        BulkResponse,
        description=f"one result per distinct id, in input order ({NDJSON} progress lines when streamed)",
        generate_examples=False,
    ),
    **error_responses(400, 413, 422, 503),
}
_running: set[asyncio.Task[None]] = set()  # runs whose caller may be gone; see wait_for_bulk_runs


async def wait_for_bulk_runs(grace_seconds: float = 30.0) -> None:
    """Let bulk runs whose caller went away record their FMS outcomes before shutdown."""
    if _running:
        await asyncio.wait(set(_running), timeout=grace_seconds)


def _track(run: BulkRun) -> None:
    if run.task is not None:
        _running.add(run.task)
        run.task.add_done_callback(_running.discard)


def _log_done(action: BulkAction, results: list[ItemResult], started: float) -> None:
    failures = Counter(error_code(r.error) for r in results if r.error is not None)
    log.info(
        "bulk done",
        action=action.value,
        total=len(results),
        succeeded=len(results) - failures.total(),
        failures=dict(failures),
        seconds=round(time.perf_counter() - started, 3),
    )


async def _ndjson(action: BulkAction, run: BulkRun, started: float) -> AsyncIterator[bytes]:
    yield msgspec.json.encode(StartedLine(action=action.value, total=run.total)) + b"\n"
    finished = []
    async for result in run.results():
        finished.append(result)
        yield msgspec.json.encode(item_line(result)) + b"\n"
    succeeded = sum(1 for r in finished if r.success)
    _log_done(action, finished, started)
    yield (
        msgspec.json.encode(SummaryLine(total=run.total, succeeded=succeeded, failed=run.total - succeeded))
        + b"\n"
    )


@dataclass(frozen=True)
class _Ports:
    actor: Actor
    uow_factory: UnitOfWorkFactory
    fms: FmsGateway
    clock: Clock
    holder: Holder
    request_settings: RequestSettings
    settings: Settings


async def _bulk(action: BulkAction, data: BulkInput, streamed: bool, p: _Ports) -> Response[Any]:
    started = time.perf_counter()
    run = await start_bulk(
        action,
        data if isinstance(data, list) else data.assignment_ids,
        actor=p.actor,
        uow_factory=p.uow_factory,
        fms=p.fms,
        clock=p.clock,
        request_settings=p.request_settings,
        bulk_settings=BulkSettings(p.settings.bulk_max_items, p.settings.fms_max_concurrency),
        holder=p.holder,
    )
    _track(run)
    if streamed:
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return Stream(_ndjson(action, run, started), media_type=NDJSON, headers=headers)
    report = await run.report()
    _log_done(action, report.results, started)
    return Response(bulk_response(report))


def _streamed(accept: str | None, stream: str | None) -> bool:
    return stream == "ndjson" or NDJSON in (accept or "").lower()


def _bulk_route(path: str, action: BulkAction, summary: str) -> HTTPRouteHandler:
    """One bulk endpoint: the same handler for each action, documented as its own operation."""

    async def handler(
        data: JSONBody[BulkInput],
        actor: ActorDep,
        uow_factory: UowDep,
        fms: FmsDep,
        clock: ClockDep,
        holder: HolderDep,
        request_settings: RequestSettingsDep,
        settings: SettingsDep,
        accept: FromHeader[str | None] = None,
        stream: FromQuery[Literal["ndjson"] | None] = None,
    ) -> Response[Any]:
        ports = _Ports(actor, uow_factory, fms, clock, holder, request_settings, settings)
        return await _bulk(action, data, _streamed(accept, stream), ports)

    handler.__name__ = handler.__qualname__ = f"bulk_{action.value}"
    handler.__doc__ = summary
    route: HTTPRouteHandler = post(path, status_code=200, responses=_RESPONSES, description=summary)(handler)
    return route


bulk_create_vehicle_requests = _bulk_route(
    "/api/fms/bulk-create-vehicle-requests",
    BulkAction.REQUEST,
    "Request many assignments in FMS, each exactly as create-vehicle-request would.",
)
bulk_unrequest_vehicle_requests = _bulk_route(
    "/api/fms/bulk-unrequest-vehicle-requests",
    BulkAction.UNREQUEST,
    "Unrequest many assignments; each returns to the green status it had before its request.",
)
bulk_delete_vehicle_requests = _bulk_route(
    "/api/fms/bulk-delete-vehicle-requests",
    BulkAction.DELETE,
    "Delete many assignments; a requested one has its FMS request deleted first.",
)


bulk_router = Router(
    path="/",
    route_handlers=[
        bulk_create_vehicle_requests,
        bulk_unrequest_vehicle_requests,
        bulk_delete_vehicle_requests,
    ],
    tags=["Bulk FMS operations"],
)
