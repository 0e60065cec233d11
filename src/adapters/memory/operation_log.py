"""MemoryFmsOperationLog: the FMS audit log in memory."""

from __future__ import annotations

import copy
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime
from uuid import UUID

from adapters.memory.store import MemoryStore
from application.records import FmsOperation, OperationOutcome, OperationQuery


class MemoryFmsOperationLog:
    """Operations keyed by id, in insertion order."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def record_intent(self, operation: FmsOperation) -> None:
        """Write a new pending operation."""
        self._store.tables.operations[operation.operation_id] = copy.deepcopy(operation)

    async def record_intents(self, operations: Sequence[FmsOperation]) -> None:
        """Write several new pending operations."""
        for operation in operations:
            await self.record_intent(operation)

    async def record_outcomes(self, operations: Sequence[FmsOperation]) -> None:
        """Complete several operations from their finished records (KeyError for an unknown one)."""
        known = self._store.tables.operations
        missing = [o.operation_id for o in operations if o.operation_id not in known]
        if missing:
            raise KeyError(missing[0])
        for o in operations:
            assert o.finished_at is not None, "a finished operation has its finished_at"
            await self.record_outcome(
                o.operation_id,
                outcome=o.outcome,
                finished_at=o.finished_at,
                status_code=o.status_code,
                fms_request_id=o.fms_request_id,
                error=o.error,
            )

    async def record_outcome(
        self,
        operation_id: UUID,
        *,
        outcome: OperationOutcome,
        finished_at: datetime,
        status_code: int | None = None,
        fms_request_id: int | None = None,
        error: str | None = None,
    ) -> None:
        """Complete an operation."""
        ops = self._store.tables.operations
        op = ops[operation_id]
        ops[operation_id] = replace(
            op,
            outcome=outcome,
            finished_at=finished_at,
            status_code=status_code,
            error=error,
            fms_request_id=fms_request_id if fms_request_id is not None else op.fms_request_id,
        )

    async def for_assignment(self, assignment_id: int) -> list[FmsOperation]:
        """Operations of one assignment, oldest first."""
        ops = [o for o in self._store.tables.operations.values() if o.assignment_id == assignment_id]
        return [copy.deepcopy(o) for o in sorted(ops, key=lambda o: o.started_at)]

    async def for_assignments(self, assignment_ids: Collection[int]) -> dict[int, list[FmsOperation]]:
        """for_assignment of each, the ones without operations left out."""
        found = {i: await self.for_assignment(i) for i in assignment_ids}
        return {i: ops for i, ops in found.items() if ops}

    async def query(self, query: OperationQuery) -> list[FmsOperation]:
        """Operations matching the filters, newest first."""
        found = [
            o
            for o in self._store.tables.operations.values()
            if (query.assignment_id is None or o.assignment_id == query.assignment_id)
            and (query.actor is None or o.actor == query.actor)
            and (query.outcome is None or o.outcome is query.outcome)
            and (query.since is None or o.started_at >= query.since)
            and (query.until is None or o.started_at < query.until)
        ]
        ordered = sorted(enumerate(found), key=lambda pair: (pair[1].started_at, pair[0]), reverse=True)
        return [copy.deepcopy(o) for _, o in ordered[: query.limit]]
