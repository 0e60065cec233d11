"""The simulated FMS API: create, delete, look up and read vehicle requests, as FMS answers them."""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec
from litestar import Request, Response, Router, delete, get, post
from litestar.params import FromPath

from adapters.fms_faults import FmsFault
from fms_simulator.connection import drop_connection
from fms_simulator.faults import LOOKUP_MODES, FaultRule
from fms_simulator.listing import listing_response
from fms_simulator.state import SimState
from fms_simulator.validation import SimRefusal, parse_create, vehicle_ids_in

AnyRequest = Request[Any, Any, Any]
BASE = "/api/v1/vehicle_requests"


def errors(status: int, detail: str) -> Response[Any]:
    """FMS's error shape: {"errors": [{"detail": ...}]}."""
    return Response({"errors": [{"detail": detail}]}, status_code=status)


def _log(sim: SimState, request: AnyRequest, body: Any) -> None:
    scheme = request.headers.get("authorization", "").strip().partition(" ")[0] or None
    sim.received.append(
        {
            "method": request.method,
            "path": request.url.path,
            "query": dict(request.query_params),
            "authorization_scheme": scheme,  # never the token itself
            "content_type": request.headers.get("content-type"),
            "body": body,
        }
    )


async def _admit(sim: SimState, request: AnyRequest, call: str, ids: frozenset[int]) -> FaultRule | None:
    """Latency, then the fault this call suffers; a refused token raises SimRefusal(401)."""
    if not sim.authorised(request.headers.get("authorization")):
        raise SimRefusal(401, "Access denied")
    if sim.faults.latency_ms:
        await asyncio.sleep(sim.faults.latency_ms / 1000)
    return sim.faults.take(call, ids)


async def _suffer(
    sim: SimState, request: AnyRequest, fault: FaultRule | None, *, acted: bool
) -> Response[Any] | None:
    """Play the fault before (acted False) or after (acted True) the action; None: answer normally."""
    if fault is None or (fault.mode.value.startswith("commit_then") != acted):
        return None
    if fault.mode in (FmsFault.DROP, FmsFault.RESET, FmsFault.COMMIT_THEN_DROP):
        await drop_connection(request.scope, reset=fault.mode is FmsFault.RESET)
    elif fault.mode in (FmsFault.HANG, FmsFault.COMMIT_THEN_HANG):
        await sim.hang()
    detail = fault.detail or ("Internal Server Error" if fault.status >= 500 else "Injected failure")
    return errors(fault.status, detail)


def api_router(sim: SimState) -> Router:
    """The /api/v1/vehicle_requests routes over one simulator state."""

    @post(BASE, status_code=201)
    async def create(request: AnyRequest) -> Response[Any]:
        raw = await request.body()
        try:
            body: Any = msgspec.json.decode(raw) if raw else None
        except msgspec.DecodeError:
            body = None
        _log(sim, request, body)
        try:
            fault = await _admit(sim, request, "create", vehicle_ids_in(body))
            early = await _suffer(sim, request, fault, acted=False)
            if early is not None:
                return early
            stored = sim.create(parse_create(body, lambda v: sim.vehicle(v) is not None))
        except SimRefusal as refusal:
            return errors(refusal.status, refusal.detail)
        late = await _suffer(sim, request, fault, acted=True)
        return late or Response(sim.as_json(stored), status_code=201)

    @delete(f"{BASE}/{{request_id:int}}", status_code=200)
    async def remove(request: AnyRequest, request_id: FromPath[int]) -> Response[Any]:
        _log(sim, request, None)
        try:
            fault = await _admit(sim, request, "delete", sim.vehicle_ids_of(request_id))
            early = await _suffer(sim, request, fault, acted=False)
            if early is not None:
                return early
            sim.delete(request_id)
        except SimRefusal as refusal:
            return errors(refusal.status, refusal.detail)
        late = await _suffer(sim, request, fault, acted=True)
        return late or Response(None, status_code=204)

    @get(BASE)
    async def lookup(request: AnyRequest) -> Response[Any]:
        _log(sim, request, None)
        try:
            fault = await _admit(sim, request, "lookup", frozenset())
        except SimRefusal as refusal:
            return errors(refusal.status, refusal.detail)
        if fault is None or fault.mode not in LOOKUP_MODES:
            early = await _suffer(sim, request, fault, acted=False)
            if early is not None:
                return early
        notes = request.query_params.get("requestor_notes")
        return listing_response(sim, notes, fault, str(request.url.with_replacements(query="")))

    @get(f"{BASE}/{{request_id:int}}")
    async def read(request: AnyRequest, request_id: FromPath[int]) -> Response[Any]:
        _log(sim, request, None)
        if not sim.authorised(request.headers.get("authorization")):
            return errors(401, "Access denied")
        stored = sim.requests.get(request_id)
        if stored is None:
            return errors(404, f"Couldn't find Request with 'id'={request_id}")
        return Response(sim.as_json(stored))

    return Router(path="/", route_handlers=[create, remove, lookup, read])
