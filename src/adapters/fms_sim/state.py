"""What the simulated FMS holds: vehicle requests, approvals, registered vehicles, faults, a call log."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from adapters.fms_sim.faults import FaultPlan
from adapters.fms_sim.reports import Row
from adapters.fms_sim.validation import NewRequest, SimRefusal
from adapters.fms_sim.world import SimVehicle, World

REQUESTOR_NAMES = {1949: "D'Amato, Junior"}
FIRST_ACTIVITY_ID = 9_000_000


def _fms_date(day: date) -> str:
    return day.strftime("%m/%d/%y")


@dataclass
class SimRequest:
    """A stored vehicle request; approved ones have become an activity."""

    id: int
    new: NewRequest
    line_ids: tuple[int, ...]
    status: str = "open"
    activity_id: int | None = None


@dataclass
class SimState:
    """The whole state of one simulated FMS."""

    world: World
    token: str | None = None
    faults: FaultPlan = field(default_factory=FaultPlan)
    first_id: int = 4000
    hang_seconds: float = 30.0
    requests: dict[int, SimRequest] = field(default_factory=dict)
    registered: dict[int, SimVehicle] = field(default_factory=dict)
    received: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=1000))
    _next_id: int = 0
    _next_line: int = 0
    _next_activity: int = FIRST_ACTIVITY_ID
    _release: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self._next_id = self.first_id
        self._next_line = self.first_id + 1000

    def authorised(self, header: str | None) -> bool:
        """Only `Token <t>` is accepted; with no token configured any non-empty Token will do."""
        scheme, _, value = (header or "").strip().partition(" ")
        if scheme != "Token" or not value.strip():
            return False
        return self.token is None or hmac.compare_digest(value.strip().encode(), self.token.encode())

    def vehicle(self, vehicle_id: int) -> SimVehicle | None:
        """A vehicle FMS knows: registered through the control API, or from the generated fleet."""
        return self.registered.get(vehicle_id) or self.world.vehicle_by_id(vehicle_id)

    def create(self, new: NewRequest) -> SimRequest:
        """Store a checked request under a fresh id."""
        lines = []
        for _ in new.vehicles:
            lines.append(self._next_line)
            self._next_line += 1
        stored = SimRequest(self._next_id, new, tuple(lines))
        self.requests[stored.id] = stored
        self._next_id += 1
        return stored

    def delete(self, request_id: int) -> None:
        """Remove a request: 404 when unknown, 422 once approved (it is a loan now)."""
        stored = self.requests.get(request_id)
        if stored is None:
            raise SimRefusal(404, f"Couldn't find Request with 'id'={request_id}")
        if stored.status == "approved":
            raise SimRefusal(422, f"Request {request_id} is approved and cannot be deleted")
        del self.requests[request_id]

    def vehicle_ids_of(self, request_id: int) -> frozenset[int]:
        """The vehicles of a stored request (none when unknown)."""
        stored = self.requests.get(request_id)
        return frozenset(v for v, _ in stored.new.vehicles) if stored else frozenset()

    def find(self, requestor_notes: str | None) -> list[SimRequest]:
        """Requests whose requestor_notes are exactly the given text (all when None)."""
        return [
            r
            for r in self.requests.values()
            if requestor_notes is None or r.new.texts.get("requestor_notes") == requestor_notes
        ]

    def approve(self, request_id: int) -> int:
        """Approve a request: it becomes an activity of the current-activity report."""
        stored = self.requests.get(request_id)
        if stored is None:
            raise SimRefusal(404, f"Couldn't find Request with 'id'={request_id}")
        if stored.activity_id is None:
            stored.status, stored.activity_id = "approved", self._next_activity
            self._next_activity += 1
        return stored.activity_id

    def approved_rows(self) -> list[Row]:
        """Current-activity rows of approved requests (one per vehicle)."""
        rows: list[Row] = []
        for r in self.requests.values():
            if r.activity_id is None:
                continue
            partner = self.world.person(r.new.ints.get("loanee_id", 0))
            for vehicle_id, _ in r.new.vehicles:
                v = self.vehicle(vehicle_id)
                rows.append(
                    [
                        str(r.activity_id),
                        str(r.new.ints.get("loanee_id", "")),
                        v.vin if v else "",
                        "Media Loan",
                        _fms_date(r.new.start_date),
                        _fms_date(r.new.end_date),
                        r.new.texts.get("activity_to", ""),
                        partner.address if partner else "",
                        v.office if v else "",
                    ]
                )
        return rows

    async def hang(self) -> None:
        """Wait until released (reset or shutdown) or hang_seconds pass: a call that never answers."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._release.wait(), self.hang_seconds)

    def release_hanging(self) -> None:
        """Let every hanging call finish (their clients are long gone)."""
        self._release.set()
        self._release = asyncio.Event()

    def reset(self) -> None:
        """Forget requests, faults and the call log; registered vehicles stay."""
        self.requests.clear()
        self.received.clear()
        self.faults.clear()
        self.release_hanging()

    def as_json(self, r: SimRequest) -> dict[str, Any]:
        """A request as FMS answers it: camelCase under "request"."""
        loanee_id = r.new.ints.get("loanee_id")
        partner = self.world.person(loanee_id) if loanee_id is not None else None
        lines = []
        first: SimVehicle | None = None
        for line_id, (vehicle_id, notes) in zip(r.line_ids, r.new.vehicles, strict=True):
            v = self.vehicle(vehicle_id)
            first = first or v
            line = {
                "id": line_id,
                "vehicleId": vehicle_id,
                "vehicleVin": v.vin if v else None,
                "vehicleMakeModel": f"{v.make} {v.model}" if v else None,
                "notes": notes,
                "status": r.status,
            }
            lines.append({"requestsVehicle": line})
        body = {
            "id": r.id,
            "requestorName": REQUESTOR_NAMES.get(r.new.requestor_id, f"User {r.new.requestor_id}"),
            "requestorId": r.new.requestor_id,
            "activityTo": r.new.texts.get("activity_to"),
            "reason": r.new.texts.get("reason"),
            "requestorNotes": r.new.texts.get("requestor_notes"),
            "activityTypeId": r.new.ints.get("activity_type_id"),
            "activityTypeSubcategoryId": r.new.ints.get("activity_type_subcategory_id"),
            "loaneeId": loanee_id,
            "loaneeName": partner.name if partner else None,
            "startDate": _fms_date(r.new.start_date),
            "endDate": _fms_date(r.new.end_date),
            "status": r.status,
            "activityId": r.activity_id,
            "officeName": first.office if first else None,
            "fleetName": f"{first.make} PR - Press" if first else None,
            "requestsVehicles": lines,
        }
        return {"request": body}
