"""MemoryFmsOperationLog: the FMS audit log in memory."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import datetime
from uuid import UUID

from adapters.memory.store import MemoryStore
from application.records import FmsOperation, OperationOutcome


class MemoryFmsOperationLog:
    """Operations keyed by id, in insertion order."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def record_intent(self, operation: FmsOperation) -> None:
        """Write a new pending operation."""
        self._store.tables.operations[operation.operation_id] = copy.deepcopy(operation)

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
