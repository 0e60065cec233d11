"""Fixtures for use-case tests: a fresh, seeded in-memory world per test, checked when it ends."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from application.records import OperationOutcome
from domain.values import FmsState, Status
from tests.unit.application.scheduler_world import World


def check_end_state(world: World) -> None:
    """I1 on every live assignment, pending exactly while in flight, and I5 (every FMS call audited)."""
    tables = world.uow_factory.store.tables
    for a in tables.assignments.values():
        in_flight = a.fms_state in (FmsState.CREATING, FmsState.DELETING, FmsState.UNKNOWN)
        assert (a.pending is not None) == in_flight, a
        if not a.removed:
            holds = a.fms_state in (FmsState.OPEN, FmsState.DELETING)
            assert (a.status is Status.REQUESTED) == holds, a
            assert not holds or a.fms_request_id is not None, a
    # I5: every FMS call is audited. An intent may outlive a call that never happened (a crash
    # between intent and call), so the log may hold more rows than FMS saw calls, never fewer.
    calls = [op for op in tables.operations.values() if op.call != "resolve"]  # resolutions call nobody
    assert len(calls) >= len(world.fms.calls), "an FMS call is missing from the audit log"
    assert all(op.outcome is not OperationOutcome.PENDING for op in tables.operations.values())


@pytest.fixture
async def world() -> AsyncIterator[World]:
    """Memory adapters seeded with the reference data of scheduler_world; invariants checked after."""
    seeded = await World().seed()
    yield seeded
    check_end_state(seeded)
