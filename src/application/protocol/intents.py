"""Protocol step 1: decide every item by the aggregate's rules and record all intents in one transaction.

Every intent is held by this process (see holds.py) from the moment it is committed.
Reads are batched (ProtocolStore): for requests the vehicle locks and the assignments (locked, in id
order) at once, then the vehicles, partners and bookings of every vehicle at once; the changes and
their audit rows are stored at once. Items refused here never reach FMS.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID, uuid4

from application.errors import AssignmentNotFound
from application.port_errors import StorageUnavailable
from application.ports import Clock, UnitOfWork
from application.protocol.holds import ensure_hold
from application.protocol.ports import ProtocolPorts
from application.protocol.records import BulkAction, ItemResult, PendingCall
from application.records import Actor, FmsOperation, RequestSettings
from domain.assignment import Assignment
from domain.errors import DomainError
from domain.fms_request import build_vehicle_request
from domain.request_rules import check_request_rules
from domain.values import Status

MAX_STORED_ID = 2**63 - 1  # ids are bigints: anything outside 1..this cannot exist


@dataclass
class Intents:
    """What step 1 decided: items already finished (refused, or done without FMS) and calls to make."""

    done: list[ItemResult] = field(default_factory=list)
    calls: list[PendingCall] = field(default_factory=list)


@dataclass(frozen=True)
class _Candidate:
    index: int
    assignment: Assignment  # begun: fms_state creating, pending set
    before: Assignment  # as loaded, reported when a rule refuses it
    operation_id: UUID


def _begin(action: BulkAction, assignment: Assignment, operation_id: UUID, target: Status | None) -> bool:
    """The aggregate decides; True when FMS must be called. Unrequest without a target goes back to the
    status the assignment had before its request."""
    if action is BulkAction.REQUEST:
        return assignment.begin_request(operation_id)
    if action is BulkAction.UNREQUEST:
        assignment.begin_unrequest(operation_id, target)
        return True
    return assignment.begin_delete(operation_id)


def _delete_operation(
    action: BulkAction, a: Assignment, operation_id: UUID, actor: Actor, clock: Clock
) -> FmsOperation:
    assert a.assignment_id is not None
    return FmsOperation(
        operation_id=operation_id,
        assignment_id=a.assignment_id,
        call="delete",
        purpose=action.value,
        actor=actor.name,
        started_at=clock.now(),
        fms_request_id=a.fms_request_id,
        payload_summary=f"delete FMS request {a.fms_request_id} vin={a.vin}",
    )


async def _check_requests(
    uow: UnitOfWork,
    candidates: Sequence[_Candidate],
    *,
    actor: Actor,
    settings: RequestSettings,
    clock: Clock,
) -> Intents:
    """The rules before a request, for every candidate, on reference data read once for all of them."""
    context = await uow.protocol.request_context([c.assignment for c in candidates])
    vehicles, partners, bookings = context.vehicles, context.partners, context.bookings
    out = Intents()
    for c in candidates:
        a = c.assignment
        assert a.assignment_id is not None
        try:
            vehicle, partner, requestor_id = check_request_rules(
                a,
                vehicle=vehicles.get(a.vin),
                partner=partners.get((a.person_id, a.office)),
                requestor_id=actor.fms_user_id or settings.default_requestor_id,
                other_bookings=bookings.others_of(a),
            )
        except DomainError as error:
            out.done.append(ItemResult(c.index, a.assignment_id, c.before, error))
            continue
        request = build_vehicle_request(
            a,
            vehicle=vehicle,
            partner=partner,
            requestor_id=requestor_id,
            activity_type_id=settings.activity_type_id,
            operation_id=c.operation_id,
        )
        summary = (
            f"vehicle_id={request.vehicle_id} vin={a.vin} loanee_id={request.loanee_id} "
            f"{request.start_date.isoformat()}..{request.end_date.isoformat()}"
        )
        operation = FmsOperation(
            operation_id=c.operation_id,
            assignment_id=a.assignment_id,
            call="create",
            purpose="create",
            actor=actor.name,
            started_at=clock.now(),
            requestor_id=requestor_id,
            payload_summary=summary,
        )
        out.calls.append(PendingCall(c.index, a, operation, request))
    return out


async def record_intents(
    action: BulkAction,
    assignment_ids: Sequence[int],
    *,
    actor: Actor,
    ports: ProtocolPorts,
    settings: RequestSettings,
    target_status: Status | None = None,
) -> Intents:
    """Step 1 for distinct ids: one transaction deciding each item and committing every intent, held."""
    holder, clock = ports.holder, ports.clock
    if not await ensure_hold(holder, uow_factory=ports.uow_factory, clock=clock):
        raise StorageUnavailable("this process could not record its hold on FMS operations")
    out = Intents()
    async with ports.uow_factory() as uow:
        wanted = [i for i in assignment_ids if 0 < i <= MAX_STORED_ID]
        # One lock order everywhere: vehicles, then assignment rows (as chain and schedule saves do).
        rows = await (
            uow.protocol.lock_for_request(wanted)
            if action is BulkAction.REQUEST
            else uow.assignments.get_many(wanted, for_update=True)
        )
        loaded = {a.assignment_id: a for a in rows}
        changed: list[Assignment] = []
        candidates: list[_Candidate] = []
        for index, assignment_id in enumerate(assignment_ids):
            a = loaded.get(assignment_id)
            if a is None or a.removed:
                out.done.append(ItemResult(index, assignment_id, None, AssignmentNotFound(assignment_id)))
                continue
            before, operation_id = copy.copy(a), uuid4()  # begin_* rebinds fields, never mutates them
            try:
                needs_fms = _begin(action, a, operation_id, target_status)
            except DomainError as error:
                out.done.append(ItemResult(index, assignment_id, before, error))
                continue
            if not needs_fms:  # already requested, or a green assignment removed at once
                if action is BulkAction.DELETE:
                    changed.append(a)
                out.done.append(ItemResult(index, assignment_id, a))
            elif action is BulkAction.REQUEST:
                a.hold(holder.holder_id)
                candidates.append(_Candidate(index, a, before, operation_id))
            else:
                a.hold(holder.holder_id)
                changed.append(a)
                operation = _delete_operation(action, a, operation_id, actor, clock)
                out.calls.append(PendingCall(index, a, operation))
        if candidates:
            checked = await _check_requests(uow, candidates, actor=actor, settings=settings, clock=clock)
            out.done.extend(checked.done)
            out.calls.extend(checked.calls)
            changed.extend(c.assignment for c in checked.calls)
        await uow.protocol.store_intents(changed, [c.operation for c in out.calls])
    holder.in_hand.update(_operation_id(c) for c in out.calls)  # until their outcome is stored
    return out


def _operation_id(call: PendingCall) -> UUID:
    assert call.assignment.pending is not None
    return call.assignment.pending.operation_id
