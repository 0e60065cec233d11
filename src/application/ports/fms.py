"""FMS: the gateway that creates and deletes vehicle requests, and the lookup by reference."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from domain.fms_request import VehicleRequest


@dataclass(frozen=True)
class FmsAnswer:
    """A successful FMS answer: the HTTP status and, for a create, the new request's id."""

    status_code: int
    fms_request_id: int | None = None


class FmsGateway(Protocol):
    """The FMS vehicle-request API."""

    async def create_request(self, request: VehicleRequest) -> FmsAnswer:
        """Create a vehicle request (answer carries its id); raise an FmsCallError subclass otherwise."""
        ...

    async def delete_request(self, fms_request_id: int) -> FmsAnswer:
        """Delete a vehicle request; an unknown id (404) counts as done."""
        ...


class FmsRequestFinder(Protocol):
    """Optional FMS capability: find a vehicle request by the scheduler reference it carries."""

    async def find_by_reference(self, reference: str) -> int | None:
        """FMS's id of the request whose requestor_notes carry the reference; None when FMS holds none."""
        ...
