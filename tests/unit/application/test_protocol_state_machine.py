"""Hypothesis drives the use-cases against a faulty FMS and checks invariants I1-I5 after every step.

Faults: definite refusals, credentials refused, unreachable, timeouts, commit-then-fail. After a
recovery pass against a healthy FMS, I2 must hold: FMS's open requests and the live requested
assignments match one to one.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections import Counter
from datetime import timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from adapters.memory.fms_gateway import Fault
from adapters.memory.worker_lock import MemoryWorkerLock
from application.backoff import Backoff
from application.errors import ApplicationError
from application.recovery import RecoveryDeps, settle_pending
from domain.assignment import Assignment
from domain.errors import DomainError
from domain.values import FmsState, Status
from tests.unit.application.scheduler_world import ADA, LA, VIN_A, World, day

FAULTS = st.sampled_from(
    [None, None, Fault.REFUSE, Fault.AUTH, Fault.UNREACHABLE, Fault.TIMEOUT, Fault.COMMIT_THEN_FAIL]
)
GREEN = st.sampled_from([None, Status.PLANNED, Status.MANUAL])
SLOTS = 6


class ProtocolMachine(RuleBasedStateMachine):
    """A few assignments of one vehicle, in separate weeks, acted on in any order with any fault."""

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()  # one loop for the machine's lifetime
        self.world = World()
        self.ids: list[int] = []
        self.fms_owned: dict[int, tuple[object, ...]] = {}

    def run(self, coro: object) -> object:
        return self.loop.run_until_complete(coro)  # type: ignore[arg-type]

    def teardown(self) -> None:
        """Every run ends by settling against a healthy FMS: I2 must then hold."""
        try:
            self.settle_against_healthy_fms()
        finally:
            self.loop.close()

    @initialize()
    def seed(self) -> None:
        self.run(self.world.seed())
        for week in range(SLOTS):
            self.ids.append(self.run(self.world.add(VIN_A, start=day(7 * week), person_id=ADA, office=LA)))  # type: ignore[arg-type]

    def act(self, fault: Fault | None, action: object) -> None:
        if fault is not None:
            self.world.fms.fail_next(fault)
        with contextlib.suppress(DomainError, ApplicationError):
            self.run(action)
        self.world.fms.faults.clear()  # a fault the action did not consume must not leak into the next

    @rule(slot=st.integers(0, SLOTS - 1), fault=FAULTS)
    def request(self, slot: int, fault: Fault | None) -> None:
        self.act(fault, self.world.request(self.ids[slot]))

    @rule(slot=st.integers(0, SLOTS - 1), fault=FAULTS, green=GREEN)
    def unrequest(self, slot: int, fault: Fault | None, green: Status | None) -> None:
        self.act(fault, self.world.unrequest(self.ids[slot], green))

    @rule(slot=st.integers(0, SLOTS - 1), fault=FAULTS)
    def delete(self, slot: int, fault: Fault | None) -> None:
        self.act(fault, self.world.delete(self.ids[slot]))

    @rule(slot=st.integers(0, SLOTS - 1), green=st.sampled_from([Status.PLANNED, Status.MANUAL]))
    def change(self, slot: int, green: Status) -> None:
        self.act(None, self.world.change(self.ids[slot], green))

    @rule(slot=st.integers(0, SLOTS - 1))
    def fms_approves(self, slot: int) -> None:
        """The sync sees the request as a current activity: FMS turned it into a loan."""
        a = self.run(self.world.get(self.ids[slot]))
        if a.status is not Status.REQUESTED or a.fms_state is not FmsState.OPEN or a.removed:  # type: ignore[attr-defined]
            return
        self.world.fms.requests.pop(a.fms_request_id, None)  # type: ignore[attr-defined]
        self.run(self._activate(self.ids[slot]))

    async def _activate(self, assignment_id: int) -> None:
        async with self.world.uow_factory() as uow:
            a = await uow.assignments.get(assignment_id, for_update=True)
            assert a is not None
            a.activate(800_000 + assignment_id)
            await uow.assignments.update(a)
            self.fms_owned[assignment_id] = (
                a.status,
                a.fms_state,
                a.fms_request_id,
                a.activity_id,
                a.removed,
            )

    @staticmethod
    def snapshot(a: Assignment) -> tuple[object, ...]:
        return (a.status, a.fms_state, a.fms_request_id, a.activity_id, a.removed)

    @rule()
    def settle_against_healthy_fms(self) -> None:
        self.world.fms.faults.clear()
        self.world.clock.advance(timedelta(minutes=10))
        deps = RecoveryDeps(
            uow_factory=self.world.uow_factory,
            fms=self.world.fms,
            clock=self.world.clock,
            lock=MemoryWorkerLock(),
            finder=self.world.fms,
        )
        self.run(
            settle_pending(deps, stale_after=timedelta(minutes=2), backoff=Backoff(rng=random.Random(0)))
        )
        self.check_i2()

    def assignments(self) -> list:  # type: ignore[type-arg]
        return list(self.world.uow_factory.store.tables.assignments.values())

    def check_i2(self) -> None:
        live = [a for a in self.assignments() if not a.removed]
        assert not [a for a in live if a.fms_state.in_flight], "a healthy FMS left something unsettled"
        held = Counter(a.fms_request_id for a in live if a.status is Status.REQUESTED)
        assert all(n == 1 for n in held.values()), held
        assert set(held) == set(self.world.fms.requests), (held, self.world.fms.requests)

    @invariant()
    def i1_requested_exactly_when_fms_holds_it(self) -> None:
        for a in self.assignments():
            holds = a.fms_state in (FmsState.OPEN, FmsState.DELETING)
            assert (a.status is Status.REQUESTED) == holds, a
            assert not holds or a.fms_request_id is not None, a

    @invariant()
    def i3_fms_owned_loans_never_change(self) -> None:
        stored = self.world.uow_factory.store.tables.assignments
        for assignment_id, snapshot in self.fms_owned.items():
            assert self.snapshot(stored[assignment_id]) == snapshot

    @invariant()
    def i4_at_most_one_fms_request_per_assignment(self) -> None:
        owners = Counter(r.request.requestor_notes.split(":op=")[0] for r in self.world.fms.requests.values())
        assert all(n == 1 for n in owners.values()), owners

    @invariant()
    def i5_every_fms_call_is_audited(self) -> None:
        audited = Counter(
            o.call for o in self.world.uow_factory.store.tables.operations.values() if o.call != "resolve"
        )
        called = Counter(call for call, _ in self.world.fms.calls)
        assert audited == called, (audited, called)


ProtocolMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=30, deadline=None)
TestProtocol = ProtocolMachine.TestCase
