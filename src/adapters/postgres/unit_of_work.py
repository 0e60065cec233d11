"""PostgresUnitOfWork: one pooled connection and one transaction for the repositories it exposes."""

from __future__ import annotations

from contextlib import suppress
from types import TracebackType
from typing import Self

from asyncpg.transaction import Transaction

from adapters.postgres.assignment_repo import PostgresAssignmentRepo
from adapters.postgres.db import PgConnection, PgPool
from adapters.postgres.errors import DRIVER_ERRORS, storage_errors
from adapters.postgres.fms_event_log import PostgresFmsEventLog
from adapters.postgres.hold_repo import PostgresHoldRepo
from adapters.postgres.operation_log import PostgresFmsOperationLog
from adapters.postgres.pool import ran_transactions_only
from adapters.postgres.protocol_store import PostgresOutcomeStore, PostgresProtocolStore
from adapters.postgres.reconciliation_repo import PostgresReconciliationRepo
from adapters.postgres.reference_data import PostgresReferenceData
from application.ports import (
    AssignmentRepo,
    FmsEventLog,
    FmsOperationLog,
    HoldRepo,
    ProtocolStore,
    ReconciliationRepo,
    ReferenceData,
)


class PostgresUnitOfWork:
    """Acquires a connection and begins a transaction on enter; commits or rolls back and releases on exit.

    The repositories exist only inside the ``async with`` block, bound to its connection.
    """

    # Typed as the ports (not the concrete classes): the Protocol's attributes are settable, hence
    # invariant, and this also has mypy prove that each repository implements its port.
    assignments: AssignmentRepo
    operations: FmsOperationLog
    reference: ReferenceData
    reconciliation: ReconciliationRepo
    holds: HoldRepo
    fms_events: FmsEventLog
    protocol: ProtocolStore

    def __init__(self, pool: PgPool) -> None:
        self._pool = pool
        self._conn: PgConnection | None = None
        self._transaction: Transaction | None = None

    async def __aenter__(self) -> Self:
        """Acquire a connection and begin the transaction."""
        if self._conn is not None:
            raise RuntimeError("this unit of work is already in use; make a new one per transaction")
        with storage_errors("beginning a transaction"):
            conn = await self._pool.acquire()
            try:
                transaction = conn.transaction()
                await transaction.start()
            except BaseException:
                await self._pool.release(conn)
                raise
        self._conn, self._transaction = conn, transaction
        self.assignments = PostgresAssignmentRepo(conn)
        self.operations = PostgresFmsOperationLog(conn)
        self.reference = PostgresReferenceData(conn)
        self.reconciliation = PostgresReconciliationRepo(conn)
        self.holds = PostgresHoldRepo(conn)
        self.fms_events = PostgresFmsEventLog(conn)
        self.protocol = PostgresProtocolStore(conn)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Commit, or roll back when an exception is propagating; always release the connection."""
        conn, transaction = self._conn, self._transaction
        assert conn is not None, "unit of work was not entered"
        assert transaction is not None
        self._conn = self._transaction = None
        ended = False
        try:
            if exc_type is None:
                with storage_errors("committing a transaction"):
                    await transaction.commit()
                    ended = True
            else:
                # The propagating exception is what matters: a failed rollback (the connection is
                # probably gone) must not replace it.
                with suppress(*DRIVER_ERRORS):
                    await transaction.rollback()
                    ended = True
            if ended:  # only this transaction ran, and it ended: no session state to reset on release
                ran_transactions_only(conn)
        finally:
            # A connection that cannot be released cleanly is broken; the pool discards it by itself.
            with suppress(*DRIVER_ERRORS):
                await self._pool.release(conn)


class PostgresUnitOfWorkFactory:
    """Makes Postgres units of work over one pool."""

    def __init__(self, pool: PgPool) -> None:
        self.pool = pool

    @property
    def outcomes(self) -> PostgresOutcomeStore:
        """Step 3's one write: a single statement on the same pool."""
        return PostgresOutcomeStore(self.pool)

    def __call__(self) -> PostgresUnitOfWork:
        """A new, not yet begun, unit of work."""
        return PostgresUnitOfWork(self.pool)
