"""The protocol for one assignment: the same three steps as a bulk of one, its error raised."""

from __future__ import annotations

from application.ports import Clock, FmsGateway, UnitOfWorkFactory
from application.protocol.calls import run_calls
from application.protocol.holds import Holder
from application.protocol.intents import record_intents
from application.protocol.records import BulkAction, ItemResult
from application.records import Actor, RequestSettings
from domain.values import Status


async def run_one(
    action: BulkAction,
    assignment_id: int,
    *,
    target_status: Status | None = None,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    fms: FmsGateway,
    clock: Clock,
    settings: RequestSettings,
    holder: Holder,
) -> ItemResult:
    """Intent (held), call, outcome for one assignment; raises the item's error when it failed."""
    intents = await record_intents(
        action,
        [assignment_id],
        actor=actor,
        uow_factory=uow_factory,
        clock=clock,
        settings=settings,
        holder=holder,
        target_status=target_status,
    )
    results: list[ItemResult] = list(intents.done)
    if intents.calls:
        await run_calls(
            intents.calls,
            fms=fms,
            uow_factory=uow_factory,
            clock=clock,
            holder=holder,
            max_concurrency=1,
            publish=results.append,
        )
    (result,) = results
    if result.error is not None:
        raise result.error
    return result
