"""The protocol for one assignment: the same three steps as a bulk of one, its error raised."""

from __future__ import annotations

from application.protocol.calls import run_calls
from application.protocol.intents import record_intents
from application.protocol.ports import ProtocolPorts
from application.protocol.records import BulkAction, ItemResult
from application.records import Actor, RequestSettings
from domain.values import Status


async def run_one(
    action: BulkAction,
    assignment_id: int,
    *,
    target_status: Status | None = None,
    actor: Actor,
    ports: ProtocolPorts,
    settings: RequestSettings,
) -> ItemResult:
    """Intent (held), call, outcome for one assignment; raises the item's error when it failed."""
    intents = await record_intents(
        action,
        [assignment_id],
        actor=actor,
        ports=ports,
        settings=settings,
        target_status=target_status,
    )
    results: list[ItemResult] = list(intents.done)
    if intents.calls:
        await run_calls(
            intents.calls,
            ports=ports,
            max_concurrency=1,
            publish=results.append,
        )
    (result,) = results
    if result.error is not None:
        raise result.error
    return result
