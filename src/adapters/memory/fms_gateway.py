"""MemoryFmsGateway: the FMS sandbox in memory, with configurable latency and scripted faults."""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass

from adapters.fms_faults import ACTING_FAULTS, LOOKUP_FAULTS, FmsFault
from application.port_errors import FmsAmbiguous, FmsCredentialsRefused, FmsDefiniteRefusal, FmsNotReached
from application.ports import FmsAnswer
from domain.fms_request import VehicleRequest


@dataclass(frozen=True)
class StoredRequest:
    """A vehicle request as the sandbox holds it."""

    fms_request_id: int
    request: VehicleRequest


class MemoryFmsGateway:
    """Behaves like FMS for create, delete and lookup; faults are queued per call or set per vehicle.

    Queued faults apply to the next calls in order, except that create and delete pass the lookup
    faults by (they stay queued for the next lookup).
    """

    def __init__(
        self,
        *,
        latency_seconds: float = 0.0,
        first_id: int = 5000,
        known_vehicle_ids: set[int] | None = None,
    ) -> None:
        self.latency_seconds = latency_seconds
        self.known_vehicle_ids = known_vehicle_ids  # None: every vehicle id is known
        self.refusal_message = "Validation failed: scripted refusal"  # what FmsFault.REFUSE answers
        self.requests: dict[int, StoredRequest] = {}
        self.faults: deque[FmsFault] = deque()
        self.refused_vehicle_ids: set[int] = set()
        self.calls: list[tuple[str, int | None]] = []
        self.lookup_page_size = 1  # what FmsFault.LOOKUP_PAGED answers per page
        self._next_id = first_id

    def fail_next(self, *faults: FmsFault) -> None:
        """Queue faults for the next calls, in order."""
        self.faults.extend(faults)

    def _take_fault(self, call: str) -> FmsFault | None:
        for index, fault in enumerate(self.faults):
            if call == "lookup" or fault not in LOOKUP_FAULTS:
                del self.faults[index]
                return fault
        return None

    def _raise_fault(self, fault: FmsFault | None) -> None:
        if fault is FmsFault.REFUSE:
            raise FmsDefiniteRefusal(self.refusal_message, status_code=422)
        if fault is FmsFault.AUTH:
            raise FmsCredentialsRefused("Access denied", status_code=401)
        if fault is FmsFault.UNREACHABLE:
            raise FmsNotReached("connection refused")
        if fault is FmsFault.HANG:
            raise FmsAmbiguous("timed out waiting for FMS")
        if fault in (FmsFault.SERVER_ERROR, FmsFault.ERROR):
            raise FmsAmbiguous("FMS answered 500 Internal Server Error", status_code=500)
        if fault in (FmsFault.DROP, FmsFault.RESET):
            raise FmsAmbiguous("the connection to FMS closed without an answer")

    def _raise_after_commit(self, fault: FmsFault | None, status_code: int) -> None:
        if fault not in ACTING_FAULTS:
            return
        if fault is FmsFault.COMMIT_THEN_FAIL:
            raise FmsAmbiguous(f"FMS answered {status_code} after acting", status_code=status_code)
        if fault is FmsFault.COMMIT_THEN_HANG:
            raise FmsAmbiguous("timed out waiting for FMS")
        raise FmsAmbiguous("the connection to FMS closed without an answer")

    async def create_request(self, request: VehicleRequest) -> FmsAnswer:
        """Store a new request and return its id, unless a fault says otherwise."""
        if self.latency_seconds:
            await asyncio.sleep(self.latency_seconds)
        fault = self._take_fault("create")
        self.calls.append(("create", None))
        if request.vehicle_id in self.refused_vehicle_ids:
            raise FmsDefiniteRefusal(f"Vehicle {request.vehicle_id} is not available", status_code=422)
        self._raise_fault(fault)
        if self.known_vehicle_ids is not None and request.vehicle_id not in self.known_vehicle_ids:
            raise FmsDefiniteRefusal(f"Couldn't find Vehicle with 'id'={request.vehicle_id}", status_code=404)
        fms_id = self._next_id
        self._next_id += 1
        self.requests[fms_id] = StoredRequest(fms_id, request)
        self._raise_after_commit(fault, 500)
        return FmsAnswer(status_code=201, fms_request_id=fms_id)

    async def delete_request(self, fms_request_id: int) -> FmsAnswer:
        """Remove a request; unknown ids answer 404, which counts as done."""
        if self.latency_seconds:
            await asyncio.sleep(self.latency_seconds)
        fault = self._take_fault("delete")
        self.calls.append(("delete", fms_request_id))
        self._raise_fault(fault)
        existed = self.requests.pop(fms_request_id, None) is not None
        self._raise_after_commit(fault, 502)
        return FmsAnswer(status_code=204 if existed else 404)

    async def find_by_reference(self, reference: str) -> int | None:
        """The id of the request carrying this scheduler reference (FmsRequestFinder).

        Judged as HttpFmsGateway judges FMS's answer: FmsAmbiguous when the listing FMS gives is one
        page of several, lists a request without the reference, or two requests with it.
        """
        fault = self._take_fault("lookup")
        self.calls.append(("lookup", None))
        self._raise_fault(fault)
        held = list(self.requests.values())
        if fault is FmsFault.LOOKUP_PAGED and len(held) >= self.lookup_page_size:
            raise FmsAmbiguous(
                f"FMS's lookup answer does not prove what it holds: one page of several "
                f"({len(held)} requests, {self.lookup_page_size} per page)",
                status_code=200,
            )
        if fault in LOOKUP_FAULTS:
            listed = held
        else:
            listed = [s for s in held if s.request.requestor_notes == reference]
        return _judged(listed, reference)


def _judged(listed: list[StoredRequest], reference: str) -> int | None:
    strangers = [s.fms_request_id for s in listed if reference.casefold() not in _notes(s).casefold()]
    if strangers:
        raise FmsAmbiguous(
            f"FMS's lookup answer does not prove what it holds: FMS ignored the filter, it listed "
            f"{len(strangers)} request(s) without the reference",
            status_code=200,
        )
    ours = sorted({s.fms_request_id for s in listed if _notes(s).strip() == reference})
    if len(ours) > 1:
        raise FmsAmbiguous(
            f"FMS's lookup answer does not prove what it holds: {len(ours)} requests with one "
            f"reference: {ours}",
            status_code=200,
        )
    return ours[0] if ours else None


def _notes(stored: StoredRequest) -> str:
    return stored.request.requestor_notes or ""
