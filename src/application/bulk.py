"""Use-case: Request, Unrequest or Delete many assignments at once (the Chain Builder's whole chain).

Each item follows the one FMS protocol (application/protocol) and its rules; the batch only shares the
database work:
1. one transaction decides every item and commits every intent, held by this process (intents);
2. FMS is called outside any transaction, at most max_concurrency calls at once, each only while the
   hold still covers it (calls);
3. outcomes are committed in small batches as calls finish, each audited (outcomes).
One item's failure is its own result and never stops the others. Results come in input order of first
appearance (a duplicate id is handled once); a BulkRun also yields them as they finish, for progress.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from application.errors import BatchTooLarge, InvalidInput, OutcomeNotRecorded
from application.protocol.calls import run_calls
from application.protocol.intents import record_intents
from application.protocol.ports import ProtocolPorts
from application.protocol.records import (
    BulkAction,
    BulkSettings,
    ItemResult,
    PendingCall,
)
from application.records import Actor, RequestSettings

__all__ = ["BulkAction", "BulkReport", "BulkRun", "BulkSettings", "ItemResult", "run_bulk", "start_bulk"]


@dataclass(frozen=True)
class BulkReport:
    """Every item's result, in input order of first appearance."""

    results: list[ItemResult]

    @property
    def total(self) -> int:
        """Distinct ids handled."""
        return len(self.results)

    @property
    def succeeded(self) -> int:
        """Items that did what was asked."""
        return sum(1 for r in self.results if r.success)

    @property
    def failed(self) -> int:
        """Items that did not."""
        return self.total - self.succeeded


def distinct_ids(assignment_ids: Sequence[int], max_items: int) -> list[int]:
    """The ids in order of first appearance; BatchTooLarge above the limit, InvalidInput when empty."""
    if len(assignment_ids) > max_items:
        raise BatchTooLarge(len(assignment_ids), max_items)
    if not assignment_ids:
        raise InvalidInput("assignment_ids is empty: give at least one assignment id")
    return list(dict.fromkeys(assignment_ids))


class BulkRun:
    """A started bulk operation: results arrive as items finish, the report once all have."""

    def __init__(self, assignment_ids: list[int]) -> None:
        self.assignment_ids = assignment_ids
        self._results: list[ItemResult] = []
        self._arrived: asyncio.Queue[ItemResult] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    @property
    def total(self) -> int:
        """Distinct ids in this run."""
        return len(self.assignment_ids)

    @property
    def finished(self) -> list[ItemResult]:
        """The items whose result is final so far (all of them once the task is done)."""
        return list(self._results)

    def publish(self, result: ItemResult) -> None:
        """Record an item's final result."""
        self._results.append(result)
        self._arrived.put_nowait(result)

    async def drive(
        self,
        calls: Sequence[PendingCall],
        *,
        ports: ProtocolPorts,
        max_concurrency: int,
    ) -> None:
        """Steps 2 and 3; should they break, every unfinished item still gets a result."""
        try:
            await run_calls(
                calls,
                ports=ports,
                max_concurrency=max_concurrency,
                publish=self.publish,
            )
        except Exception as error:
            finished = {r.index for r in self._results}
            for call in calls:
                if call.index not in finished:
                    failure = OutcomeNotRecorded(
                        f"the bulk operation failed ({type(error).__name__}: {error}); the assignment "
                        f"stays fms_state {call.assignment.fms_state} until the recovery worker settles it"
                    )
                    self.publish(ItemResult(call.index, call.assignment_id, call.assignment, failure))

    async def results(self) -> AsyncIterator[ItemResult]:
        """Each item's result as soon as it is final (completion order; index gives the input position)."""
        for _ in range(self.total):
            yield await self._arrived.get()

    async def report(self) -> BulkReport:
        """Wait for every item (a cancelled caller does not stop the run) and report in input order."""
        if self.task is not None:
            await asyncio.shield(self.task)
        return BulkReport(sorted(self._results, key=lambda r: r.index))


async def start_bulk(
    action: BulkAction,
    assignment_ids: Sequence[int],
    *,
    actor: Actor,
    ports: ProtocolPorts,
    request_settings: RequestSettings,
    bulk_settings: BulkSettings,
) -> BulkRun:
    """Check the batch, commit every intent (errors here reach the caller), then call FMS in a task."""
    ids = distinct_ids(assignment_ids, bulk_settings.max_items)
    intents = await record_intents(
        action,
        ids,
        actor=actor,
        ports=ports,
        settings=request_settings,
    )
    run = BulkRun(ids)
    for result in sorted(intents.done, key=lambda r: r.index):
        run.publish(result)
    if intents.calls:
        run.task = asyncio.create_task(
            run.drive(
                intents.calls,
                ports=ports,
                max_concurrency=bulk_settings.max_concurrency,
            )
        )
    return run


async def run_bulk(
    action: BulkAction,
    assignment_ids: Sequence[int],
    *,
    actor: Actor,
    ports: ProtocolPorts,
    request_settings: RequestSettings,
    bulk_settings: BulkSettings,
) -> BulkReport:
    """Run a bulk operation to the end and report every item, in input order."""
    run = await start_bulk(
        action,
        assignment_ids,
        actor=actor,
        ports=ports,
        request_settings=request_settings,
        bulk_settings=bulk_settings,
    )
    return await run.report()
