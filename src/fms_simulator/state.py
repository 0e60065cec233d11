"""What the simulated FMS holds: vehicle requests, approvals, registered vehicles, faults, a call log."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from fms_simulator.faults import FaultPlan
from fms_simulator.reports import Row
from fms_simulator.shapes import SimRequest, fms_date, request_json
from fms_simulator.store import SimStore
from fms_simulator.validation import NewRequest, SimRefusal
from fms_simulator.webhook import WebhookTarget
from fms_simulator.world import SimVehicle, World

FIRST_ACTIVITY_ID = 9_000_000


@dataclass
class SimState:
    """The whole state of one simulated FMS; with a store, what FMS holds survives a restart.

    With a store, requests, approvals, registered vehicles and the id sequences live in it (written
    through on every change) and are loaded at start; first_id only starts a fresh store's sequence.
    """

    world: World
    token: str | None = None
    faults: FaultPlan = field(default_factory=FaultPlan)
    first_id: int = 4000
    hang_seconds: float = 30.0
    requests: dict[int, SimRequest] = field(default_factory=dict)
    registered: dict[int, SimVehicle] = field(default_factory=dict)
    received: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=1000))
    store: SimStore | None = None
    webhook: WebhookTarget | None = None  # approvals are pushed there (the sandbox's service)
    _next: dict[str, int] = field(default_factory=dict)
    _release: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self._next = {"request": self.first_id, "line": self.first_id + 1000, "activity": FIRST_ACTIVITY_ID}
        if self.store is None:
            return
        self.store.start_sequences(self._next)
        self.requests.update(self.store.requests(SimRequest))
        self.registered.update(self.store.vehicles(SimVehicle))
        held = self.requests.values()  # ids in use stay taken, whatever the sequences say
        self.store.raise_sequence("request", max((r.id for r in held), default=0))
        self.store.raise_sequence("line", max((max(r.line_ids, default=0) for r in held), default=0))
        self.store.raise_sequence("activity", max((r.activity_id or 0 for r in held), default=0))

    def _take(self, sequence: str, count: int = 1) -> int:
        """The first of `count` fresh ids of a sequence (from the store when there is one)."""
        if self.store is not None:
            return self.store.take(sequence, count)
        first = self._next[sequence]
        self._next[sequence] += count
        return first

    def _save(self, request: SimRequest) -> None:
        if self.store is not None:
            self.store.save_request(request.id, request)

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
        first_line = self._take("line", len(new.vehicles)) if new.vehicles else 0
        lines = tuple(range(first_line, first_line + len(new.vehicles)))
        stored = SimRequest(self._take("request"), new, lines)
        self._save(stored)
        self.requests[stored.id] = stored
        return stored

    def delete(self, request_id: int) -> None:
        """Remove a request: 404 when unknown, 422 once approved (it is a loan now)."""
        stored = self.requests.get(request_id)
        if stored is None:
            raise SimRefusal(404, f"Couldn't find Request with 'id'={request_id}")
        if stored.status == "approved":
            raise SimRefusal(422, f"Request {request_id} is approved and cannot be deleted")
        if self.store is not None:
            self.store.remove_request(request_id)
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
            stored.status, stored.activity_id = "approved", self._take("activity")
            self._save(stored)
        return stored.activity_id

    def register(self, vehicles: Iterable[SimVehicle]) -> int:
        """Make FMS know these vehicles (by their vehicle_id); answers how many."""
        known = [(v.vehicle_id, v) for v in vehicles if v.vehicle_id is not None]
        if self.store is not None:
            self.store.save_vehicles(known)
        self.registered.update(known)
        return len(known)

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
                        fms_date(r.new.start_date),
                        fms_date(r.new.end_date),
                        r.new.texts.get("activity_to", ""),
                        partner.address if partner else "",
                        v.office if v else "",
                    ]
                )
        return rows

    def close(self) -> None:
        """Close the store, if any (everything is already written)."""
        if self.store is not None:
            self.store.close()

    async def hang(self) -> None:
        """Wait until released (reset or shutdown) or hang_seconds pass: a call that never answers."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._release.wait(), self.hang_seconds)

    def release_hanging(self) -> None:
        """Let every hanging call finish (their clients are long gone)."""
        self._release.set()
        self._release = asyncio.Event()

    def reset(self) -> None:
        """Forget requests, faults and the call log; registered vehicles and the id sequences stay."""
        if self.store is not None:
            self.store.clear_requests()
        self.requests.clear()
        self.received.clear()
        self.faults.clear()
        self.release_hanging()

    def as_json(self, r: SimRequest) -> dict[str, Any]:
        """A request as FMS answers it: camelCase under "request"."""
        return request_json(r, self.vehicle, self.world.person)
