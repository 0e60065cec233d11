"""Routes: bulk request, unrequest and delete (spec: http-api.md, Bulk).

The answer is one JSON report; with `Accept: application/x-ndjson` or `?stream=ndjson` it is NDJSON
instead: a `started` line, one `item` line as each item finishes, then a `summary` line. Errors that
stop the whole batch (400 malformed body, 413 too many ids, 422 empty list, 503 database) are answered
before any line, as plain JSON errors.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any, Literal

import msgspec
import structlog
from litestar import Response, Router, post
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromHeader, FromQuery, JSONBody
from litestar.response import Stream

from adapters.metrics.registry import ServiceMetrics
from application.bulk import BulkAction, BulkRun, ItemResult, start_bulk
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
    BulkRunsDep,
    BulkSettingsDep,
    MetricsDep,
    PortsDep,
    RequestSettingsDep,
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


async def _respond(action: BulkAction, run: BulkRun, streamed: bool, started: float) -> Response[Any]:
    if streamed:
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return Stream(_ndjson(action, run, started), media_type=NDJSON, headers=headers)
    report = await run.report()
    _log_done(action, report.results, started)
    return Response(bulk_response(report))


def _counter(metrics: ServiceMetrics, action: BulkAction) -> Callable[[list[ItemResult]], None]:
    def count(results: list[ItemResult]) -> None:
        for r in results:
            metrics.bulk_item(action.value, "success" if r.success else (error_code(r.error) or "error"))

    return count


def _streamed(accept: str | None, stream: str | None) -> bool:
    return stream == "ndjson" or NDJSON in (accept or "").lower()


def _bulk_route(path: str, action: BulkAction, summary: str) -> HTTPRouteHandler:
    """One bulk endpoint: the same handler for each action, documented as its own operation."""

    async def handler(
        data: JSONBody[BulkInput],
        actor: ActorDep,
        ports: PortsDep,
        request_settings: RequestSettingsDep,
        bulk_settings: BulkSettingsDep,
        bulk_runs: BulkRunsDep,
        metrics: MetricsDep,
        accept: FromHeader[str | None] = None,
        stream: FromQuery[Literal["ndjson"] | None] = None,
    ) -> Response[Any]:
        started = time.perf_counter()
        run = await start_bulk(
            action,
            data if isinstance(data, list) else data.assignment_ids,
            actor=actor,
            ports=ports,
            request_settings=request_settings,
            bulk_settings=bulk_settings,
        )
        bulk_runs.track(run, when_done=_counter(metrics, action))  # a caller gone: outcomes still recorded
        return await _respond(action, run, _streamed(accept, stream), started)

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
