"""Use-cases: Unrequest and Delete, which share the FMS delete protocol."""

from __future__ import annotations

from dataclasses import dataclass

from application.protocol.ports import ProtocolPorts
from application.protocol.records import BulkAction
from application.protocol.single import run_one
from application.records import Actor, RequestSettings
from domain.assignment import Assignment
from domain.values import Status

# Deletes send no vehicle request: the request settings are not consulted.
_NO_REQUEST = RequestSettings(default_requestor_id=None)


@dataclass(frozen=True)
class FmsDeleteResult:
    """What an Unrequest or Delete did."""

    assignment: Assignment
    old_status: str
    deleted_from_fms: bool


async def _run(
    action: BulkAction,
    assignment_id: int,
    *,
    target: Status | None,
    actor: Actor,
    ports: ProtocolPorts,
) -> FmsDeleteResult:
    result = await run_one(
        action,
        assignment_id,
        target_status=target,
        actor=actor,
        ports=ports,
        settings=_NO_REQUEST,
    )
    a = result.assignment
    assert a is not None
    old_status = Status.REQUESTED.value if result.deleted_from_fms else a.status.value
    return FmsDeleteResult(a, old_status, deleted_from_fms=result.deleted_from_fms)


async def unrequest_assignment(
    assignment_id: int,
    *,
    target_status: Status | None,
    actor: Actor,
    ports: ProtocolPorts,
) -> FmsDeleteResult:
    """Unrequest: delete the FMS request, then return to the green status asked for (or the earlier one)."""
    return await _run(
        BulkAction.UNREQUEST,
        assignment_id,
        target=target_status,
        actor=actor,
        ports=ports,
    )


async def delete_assignment(
    assignment_id: int,
    *,
    actor: Actor,
    ports: ProtocolPorts,
) -> FmsDeleteResult:
    """Delete: a green assignment is removed at once; a requested one after FMS deletes its request."""
    return await _run(
        BulkAction.DELETE,
        assignment_id,
        target=None,
        actor=actor,
        ports=ports,
    )
