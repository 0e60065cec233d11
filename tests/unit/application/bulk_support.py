"""Helpers for the bulk use-case tests: run a bulk action in the seeded world, and an instrumented FMS."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from adapters.memory.fms_gateway import MemoryFmsGateway
from application.bulk import BulkAction, BulkReport, BulkRun, BulkSettings, ItemResult, run_bulk, start_bulk
from application.ports import FmsAnswer, FmsGateway
from application.protocol.ports import ProtocolPorts
from domain.fms_request import VehicleRequest
from domain.values import FmsState, Status
from tests.unit.application.scheduler_world import World


async def bulk(
    world: World,
    action: BulkAction,
    ids: Sequence[int],
    *,
    fms: FmsGateway | None = None,
    settings: BulkSettings | None = None,
) -> BulkReport:
    """Run a bulk action to the end with the world's ports."""
    return await run_bulk(
        action,
        ids,
        actor=world.actor,
        ports=ProtocolPorts(world.uow_factory, fms or world.fms, world.clock, world.holder),
        request_settings=world.settings,
        bulk_settings=settings or BulkSettings(),
    )


async def start(world: World, action: BulkAction, ids: Sequence[int]) -> BulkRun:
    """Start a bulk action (its results then arrive as items finish)."""
    return await start_bulk(
        action,
        ids,
        actor=world.actor,
        ports=world.ports,
        request_settings=world.settings,
        bulk_settings=BulkSettings(),
    )


def line(r: ItemResult) -> tuple[int, bool, str | None, bool, bool]:
    """One result as (id, success, error type, created_in_fms, deleted_from_fms)."""
    kind = type(r.error).__name__ if r.error is not None else None
    return r.assignment_id, r.success, kind, r.created_in_fms, r.deleted_from_fms


async def state(world: World, assignment_id: int) -> tuple[Status, FmsState, bool]:
    """Stored status, fms_state and removed flag."""
    a = await world.get(assignment_id)
    return a.status, a.fms_state, a.removed


@dataclass
class CountingFms:
    """The sandbox FMS with latency, counting how many calls are under way at once."""

    inner: MemoryFmsGateway
    latency: float = 0.01
    in_flight: int = 0
    most_in_flight: int = 0

    async def _enter(self) -> None:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(self.latency)

    async def create_request(self, request: VehicleRequest) -> FmsAnswer:
        """Count, wait, then create in the sandbox."""
        await self._enter()
        try:
            return await self.inner.create_request(request)
        finally:
            self.in_flight -= 1

    async def delete_request(self, fms_request_id: int) -> FmsAnswer:
        """Count, wait, then delete in the sandbox."""
        await self._enter()
        try:
            return await self.inner.delete_request(fms_request_id)
        finally:
            self.in_flight -= 1
