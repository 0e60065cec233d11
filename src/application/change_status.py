"""Use-case: the calendar's status change (PATCH new_status), dispatching to request/unrequest/edit."""

from __future__ import annotations

from dataclasses import dataclass

from application.fms_delete import unrequest_assignment
from application.protocol.ports import ProtocolPorts
from application.records import Actor, RequestSettings
from application.request import load_live, request_assignment
from domain.assignment import Assignment
from domain.values import Status


@dataclass(frozen=True)
class StatusChange:
    """What a status change did, including the FMS action it took (create, delete or none)."""

    assignment: Assignment
    old_status: str
    fms_action: str


async def change_status(
    assignment_id: int,
    new_status: Status,
    *,
    actor: Actor,
    ports: ProtocolPorts,
    settings: RequestSettings,
) -> StatusChange:
    """Move an assignment to planned, manual or requested, calling FMS when that is what it takes."""
    if new_status is Status.REQUESTED:
        result = await request_assignment(
            assignment_id,
            actor=actor,
            ports=ports,
            settings=settings,
        )
        action = "create" if result.created_in_fms else "none"
        return StatusChange(result.assignment, result.old_status, action)
    async with ports.uow_factory() as uow:
        assignment = await load_live(uow, assignment_id)
        old_status = assignment.status.value
        if assignment.status is not Status.REQUESTED:
            assignment.change_green_status(new_status)
            await uow.assignments.update(assignment)
            return StatusChange(assignment, old_status, "none")
    result_delete = await unrequest_assignment(
        assignment_id,
        target_status=new_status,
        actor=actor,
        ports=ports,
    )
    return StatusChange(result_delete.assignment, result_delete.old_status, "delete")
