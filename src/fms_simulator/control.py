"""The simulator's control API (/_control: faults, reset, state, approvals) and its report CSVs."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Response, Router, delete, get, post
from litestar.params import FromPath, JSONBody
from litestar.response import Stream

from adapters.fms_faults import FIXED_STATUS, FmsFault
from fms_simulator.faults import CALLS, LOOKUP_MODES, FaultRule
from fms_simulator.reports import REPORTS, csv_chunks, current_activity
from fms_simulator.state import SimState
from fms_simulator.validation import SimRefusal
from fms_simulator.webhook import approval_event, push
from fms_simulator.world import SimVehicle


class FaultSpec(msgspec.Struct, forbid_unknown_fields=True):
    """POST /_control/faults: a latency, and/or a fault for the next calls or for one vehicle."""

    latency_ms: int | None = None
    mode: FmsFault | None = None
    status: int = 500
    detail: str | None = None
    fail_next: int | None = None
    vehicle_id: int | None = None
    vin: str | None = None
    calls: list[str] | None = None
    probability: float | None = None  # with it and no fail_next, the fault stays until removed
    page_size: int = 1  # lookup_paged: requests per page


class VehicleSpec(msgspec.Struct):
    """POST /_control/vehicles: a vehicle FMS should know (to match a service's reference data)."""

    vehicle_id: int
    vin: str
    make: str = ""
    model: str = ""
    office: str = ""
    year: int = 2025
    color: str = ""


def _error(status: int, detail: str) -> Response[Any]:
    return Response({"errors": [{"detail": detail}]}, status_code=status)


def _rule(sim: SimState, spec: FaultSpec) -> FaultRule:
    vehicle_id = spec.vehicle_id
    if spec.vin is not None:
        vin = spec.vin.strip().upper()
        known = [v.vehicle_id for v in sim.registered.values() if v.vin == vin]
        known += [
            w.vehicle_id for w in map(sim.world.vehicle, range(sim.world.vehicle_count)) if w.vin == vin
        ]
        if not known or known[0] is None:
            raise SimRefusal(404, f"no vehicle with an FMS id has VIN {vin}")
        vehicle_id = known[0]
    lookup_only = spec.mode in LOOKUP_MODES
    calls = frozenset(spec.calls) if spec.calls is not None else CALLS
    if lookup_only and spec.calls is None:
        calls = frozenset({"lookup"})
    if not calls <= CALLS or not 100 <= spec.status <= 599:
        raise SimRefusal(422, f"calls must be among {sorted(CALLS)} and status a valid HTTP status")
    if lookup_only and calls != {"lookup"}:
        raise SimRefusal(422, f"mode {spec.mode} only applies to lookup calls")
    if spec.mode is FmsFault.UNREACHABLE:
        raise SimRefusal(422, "a simulator that answers cannot be unreachable: stop it instead")
    if spec.page_size < 1:
        raise SimRefusal(422, "page_size must be at least 1")
    if spec.probability is not None and not 0.0 < spec.probability <= 1.0:
        raise SimRefusal(422, "probability must be in (0, 1]")
    lasting = vehicle_id is not None or spec.probability is not None
    remaining = spec.fail_next if spec.fail_next is not None else (None if lasting else 1)
    return FaultRule(
        spec.mode or FmsFault.ERROR,
        FIXED_STATUS.get(spec.mode, spec.status) if spec.mode is not None else spec.status,
        spec.detail,
        remaining,
        vehicle_id,
        calls,
        probability=spec.probability if spec.probability is not None else 1.0,
        page_size=spec.page_size,
    )


def control_router(sim: SimState) -> Router:
    """Routes to arrange faults and inspect or change what the simulator holds."""

    @post("/_control/faults", status_code=201)
    async def add_fault(data: JSONBody[FaultSpec]) -> Response[Any]:
        if data.latency_ms is not None:
            sim.faults.latency_ms = max(0, data.latency_ms)
        if (
            data.mode is not None
            or data.fail_next is not None
            or data.vehicle_id
            or data.vin
            or data.probability
        ):
            try:
                sim.faults.rules.append(_rule(sim, data))
            except SimRefusal as refusal:
                return _error(refusal.status, refusal.detail)
        return Response(_faults(sim), status_code=201)

    @get("/_control/faults")
    async def list_faults() -> dict[str, Any]:
        return _faults(sim)

    @delete("/_control/faults", status_code=200)
    async def clear_faults() -> dict[str, Any]:
        sim.faults.clear()
        sim.release_hanging()
        return _faults(sim)

    @post("/_control/reset", status_code=200)
    async def reset() -> dict[str, Any]:
        sim.reset()
        return {"reset": True}

    @get("/_control/requests")
    async def requests() -> dict[str, Any]:
        return {"requests": [sim.as_json(r)["request"] for r in sim.requests.values()]}

    @get("/_control/received")
    async def received() -> dict[str, Any]:
        return {"received": list(sim.received)}

    @post("/_control/requests/{request_id:int}/approve", status_code=200)
    async def approve(request_id: FromPath[int]) -> Response[Any]:
        try:
            activity_id = sim.approve(request_id)
        except SimRefusal as refusal:
            return _error(refusal.status, refusal.detail)
        answer: dict[str, Any] = {"activity_id": activity_id}
        if sim.webhook is not None:  # pushed before answering: the approval shows at once
            answer["webhook"] = await push(sim.webhook, approval_event(sim.requests[request_id]))
        return Response(answer)

    @post("/_control/vehicles", status_code=201)
    async def register(data: JSONBody[list[VehicleSpec]]) -> dict[str, Any]:
        vehicles = [
            SimVehicle(-1, v.vehicle_id, v.vin.strip().upper(), v.year, v.make, v.model, v.office, v.color)
            for v in data
        ]
        return {"registered": sim.register(vehicles)}

    @get("/reports/{name:str}")
    async def report(name: FromPath[str]) -> Response[Any] | Stream:
        stem = name.removesuffix(".csv")
        if stem == "current_activity":
            rows = current_activity(sim.world, sim.approved_rows())
        elif stem in REPORTS:
            rows = REPORTS[stem](sim.world)
        else:
            return _error(404, f"no report {name!r}; known: current_activity, {', '.join(REPORTS)}")
        return Stream(csv_chunks(rows), media_type="text/csv; charset=utf-8")

    return Router(
        path="/",
        route_handlers=[
            add_fault,
            list_faults,
            clear_faults,
            reset,
            requests,
            received,
            approve,
            register,
            report,
        ],
    )


def _faults(sim: SimState) -> dict[str, Any]:
    return {"latency_ms": sim.faults.latency_ms, "rules": [r.describe() for r in sim.faults.rules]}
