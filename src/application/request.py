"""Use-case: Request a green assignment in FMS (create a vehicle request)."""

from __future__ import annotations

from dataclasses import dataclass

from application.errors import AssignmentNotFound
from application.ports import UnitOfWork
from application.protocol.ports import ProtocolPorts
from application.protocol.records import BulkAction
from application.protocol.single import run_one
from application.records import Actor, RequestSettings
from domain.assignment import Assignment


@dataclass(frozen=True)
class RequestResult:
    """What a Request did."""

    assignment: Assignment
    old_status: str
    created_in_fms: bool


async def load_live(uow: UnitOfWork, assignment_id: int, *, for_update: bool = True) -> Assignment:
    """The live assignment with this id, locked; AssignmentNotFound when unknown or removed."""
    assignment = await uow.assignments.get(assignment_id, for_update=for_update)
    if assignment is None or assignment.removed:
        raise AssignmentNotFound(assignment_id)
    return assignment


async def request_assignment(
    assignment_id: int,
    *,
    actor: Actor,
    ports: ProtocolPorts,
    settings: RequestSettings,
) -> RequestResult:
    """Request one assignment through the protocol: intent held and committed, FMS called, outcome."""
    result = await run_one(
        BulkAction.REQUEST,
        assignment_id,
        actor=actor,
        ports=ports,
        settings=settings,
    )
    a = result.assignment
    assert a is not None
    if result.created_in_fms:
        assert a.status_before_request is not None
        return RequestResult(a, a.status_before_request.value, created_in_fms=True)
    return RequestResult(a, a.status.value, created_in_fms=False)  # already requested
