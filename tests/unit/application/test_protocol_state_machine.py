"""Hypothesis drives every actor of the FMS protocol at once and checks invariants I1-I5 after every step.

Actors: single Request/Unrequest/Delete, bulk runs whose calls wait in a queue (concurrency below
the batch size), recovery passes at any step, people resolving what attention lists, FMS approving
loans (then the sync's reconciliation runs), FMS pushing approvals, rejections and cancellations to
the webhook (and sending them again), the clock moving past leases, processes whose heartbeat
stalls, processes whose clock runs fast or slow (each reads the database's time at its heartbeat),
the storage going down for a while (every store and renewal fails), processes that stop with calls
under way (queued calls not sent, calls under way cut off), and processes that crash, dropping every
task and hold. FMS calls wait at a gate until
answered, with any fault, and lookups may answer unfiltered or paged. At the end everything is
settled against a healthy FMS and I2 must hold: FMS's open requests and the live requested
assignments match one to one.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections import Counter
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from adapters.fms_faults import FmsFault
from adapters.memory.worker_lock import MemoryWorkerLock
from application.backoff import Backoff
from application.bulk import BulkAction, BulkSettings, start_bulk
from application.errors import ApplicationError
from application.fms_delete import delete_assignment, unrequest_assignment
from application.fms_events import FmsEventType, FmsRequestEvent
from application.fms_waiting_events import apply_waiting_events
from application.fms_webhook import FmsEventDeferred, apply_fms_event
from application.port_errors import FmsCallError, PortError
from application.protocol import calls
from application.protocol.holds import renew_hold
from application.protocol.outcomes import store_owed
from application.protocol.ports import ProtocolPorts
from application.protocol.stopping import stop_holding
from application.recovery import settle_pending
from application.request import request_assignment
from application.resolve import resolve_operation
from application.sync.reconcile import reconcile_assignments
from domain.assignment import Assignment
from domain.errors import DomainError, FmsMayStillAct
from domain.fms_request import VehicleRequest, scheduler_reference
from domain.reference import Activity
from domain.values import FmsState, PendingKind, Resolution, Status
from tests.holder_support import LEASE
from tests.unit.application.protocol_actors import (
    MACHINE_CALL,
    BlinkingStorage,
    GatedFms,
    Process,
    track_tasks,
)
from tests.unit.application.scheduler_world import ADA, LA, VIN_A, World, day

FAULTS = st.sampled_from(
    [
        None,
        None,
        None,
        FmsFault.REFUSE,
        FmsFault.AUTH,
        FmsFault.UNREACHABLE,
        FmsFault.HANG,
        FmsFault.COMMIT_THEN_FAIL,
    ]
)
GREEN = st.sampled_from([None, Status.PLANNED, Status.MANUAL])
ACTIONS = st.sampled_from([BulkAction.REQUEST, BulkAction.UNREQUEST, BulkAction.DELETE])
SLOTS = 6
SLOT = st.integers(0, SLOTS - 1)
PROCESS = st.integers(0, 1)


class ProtocolMachine(RuleBasedStateMachine):
    """Assignments of one vehicle in separate weeks, two service processes on one store, one FMS."""

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()  # one loop for the machine's lifetime
        # The outcome writer's batching window is real time: closed, so every step replays alike.
        self.window, calls.BATCH_WINDOW_SECONDS = calls.BATCH_WINDOW_SECONDS, 0.0
        self.storage = BlinkingStorage()
        self.world = World(uow_factory=self.storage)
        self.fms = GatedFms(self.world.fms, self.world.clock)
        self.lock = MemoryWorkerLock()
        self.ids: list[int] = []
        self.processes: list[Process] = []
        self.spawned = 0
        self.by_name: dict[str, Process] = {}
        track_tasks(self.loop, self.by_name)
        self.fms_owned: dict[int, tuple[object, ...]] = {}
        self.activities: list[Activity] = []
        self.events: list[FmsRequestEvent] = []
        self.activity_ids = 900_000

    # --- driving the loop ---------------------------------------------------------------------

    def run(self, coro: Any) -> Any:
        result = self.loop.run_until_complete(coro)
        self.pump()
        return result

    def pump(self) -> None:
        """Let every task run until each waits at the FMS gate (or is done)."""

        async def spin() -> None:
            for _ in range(40):
                await asyncio.sleep(0)

        self.loop.run_until_complete(spin())

    def spawn(self) -> Process:
        self.spawned += 1
        process = Process(f"p{self.spawned}", self.world.clock)
        self.by_name[process.name] = process
        self.heartbeat(process)
        return process

    def teardown(self) -> None:
        """Every run ends by settling against a healthy FMS: I2 must then hold."""
        try:
            self.settle_everything()
            self.check_i2()
        finally:
            for process in self.processes:
                for task in process.tasks:
                    task.cancel()
            self.pump()
            self.loop.close()
            calls.BATCH_WINDOW_SECONDS = self.window

    @initialize()
    def seed(self) -> None:
        self.run(self.world.seed())
        for week in range(SLOTS):
            self.ids.append(self.run(self.world.add(VIN_A, start=day(7 * week), person_id=ADA, office=LA)))
        self.processes = [self.spawn(), self.spawn()]

    # --- people and the sync ------------------------------------------------------------------

    @rule(p=PROCESS, slot=SLOT)
    def request(self, p: int, slot: int) -> None:
        proc = self.processes[p]
        w = self.world
        proc.start(
            self.loop,
            request_assignment(
                self.ids[slot],
                actor=w.actor,
                ports=self.ports(proc),
                settings=w.settings,
            ),
        )
        self.pump()

    @rule(p=PROCESS, slot=SLOT, green=GREEN, delete=st.booleans())
    def unrequest_or_delete(self, p: int, slot: int, green: Status | None, delete: bool) -> None:
        proc, w = self.processes[p], self.world
        ports = self.ports(proc)
        if delete:
            proc.start(self.loop, delete_assignment(self.ids[slot], actor=w.actor, ports=ports))
        else:
            work = unrequest_assignment(self.ids[slot], target_status=green, actor=w.actor, ports=ports)
            proc.start(self.loop, work)
        self.pump()

    @rule(p=PROCESS, action=ACTIONS, slots=st.lists(SLOT, min_size=2, max_size=SLOTS, unique=True))
    def bulk(self, p: int, action: BulkAction, slots: list[int]) -> None:
        """A bulk whose calls queue behind one another: concurrency 1, so intents precede calls."""
        proc, w = self.processes[p], self.world

        async def go() -> None:
            run = await start_bulk(
                action,
                [self.ids[s] for s in slots],
                actor=w.actor,
                ports=self.ports(proc),
                request_settings=w.settings,
                bulk_settings=BulkSettings(max_concurrency=1),
            )
            await run.report()

        proc.start(self.loop, go())
        self.pump()

    @rule(p=PROCESS)
    def recovery_pass(self, p: int) -> None:
        proc = self.processes[p]
        backoff = Backoff(base_seconds=1, rng=random.Random(0))
        proc.start(
            self.loop, settle_pending(self.ports(proc), lock=self.lock, finder=self.fms, backoff=backoff)
        )
        self.pump()

    def ports(self, proc: Process) -> ProtocolPorts:
        """The protocol's ports as this process sees them (its own holder and clock)."""
        return ProtocolPorts(self.world.uow_factory, self.fms, proc.clock, proc.holder)

    @rule(pick=st.integers(0, SLOTS - 1))
    def person_resolves(self, pick: int) -> None:
        """A person takes one assignment the attention list shows, looks it up in FMS and settles it
        accordingly, or is told the call is under way (409)."""
        waiting = [a for a in self.assignments() if not a.removed and a.pending is not None]
        if not waiting:
            return
        a = waiting[pick % len(waiting)]
        assert a.assignment_id is not None
        resolution, found = self.truth_in_fms(a)
        with contextlib.suppress(DomainError, ApplicationError, PortError):  # under way (409), or 503
            self.run(
                resolve_operation(
                    a.assignment_id,
                    resolution,
                    fms_request_id=found,
                    actor=self.world.actor,
                    uow_factory=self.world.uow_factory,
                    clock=self.world.clock,
                )
            )

    @rule(slot=SLOT, other=SLOT)
    def person_links_a_request_someone_else_holds(self, slot: int, other: int) -> None:
        """Linking an FMS request another live assignment holds is always refused."""
        holder = self.assignment(self.ids[other])
        if slot == other or holder.status is not Status.REQUESTED or holder.removed:
            return
        try:
            self.run(
                resolve_operation(
                    self.ids[slot],
                    Resolution.LINK,
                    fms_request_id=holder.fms_request_id,
                    actor=self.world.actor,
                    uow_factory=self.world.uow_factory,
                    clock=self.world.clock,
                )
            )
        except (DomainError, ApplicationError, PortError):
            return
        raise AssertionError("a link to a request another assignment holds was accepted")

    @precondition(lambda self: self.world.fms.requests)
    @rule(pick=st.integers(0, 50), kind=st.sampled_from(list(FmsEventType)))
    def fms_pushes_an_event(self, pick: int, kind: FmsEventType) -> None:
        """FMS approves, rejects or cancels one of its requests and pushes the event to the webhook;
        an event deferred because a live process holds the assignment's call is sent again later."""
        fms_id = sorted(self.world.fms.requests)[pick % len(self.world.fms.requests)]
        request = self.world.fms.requests.pop(fms_id).request
        activity_id = self.approve(request) if kind is FmsEventType.APPROVED else None
        self.load_activities()
        self.events.append(FmsRequestEvent(f"e{len(self.events)}", kind, fms_id, activity_id))
        self.fms_resends_events()

    @rule()
    def fms_resends_events(self) -> None:
        """FMS sends every event again; each applies once (a replay changes nothing)."""
        for event in self.events:
            with contextlib.suppress(FmsEventDeferred, PortError):
                result = self.run(
                    apply_fms_event(event, uow_factory=self.world.uow_factory, clock=self.world.clock)
                )
                for assignment_id, _, status in result.changed:
                    if status == Status.ACTIVE:
                        self.fms_owned[assignment_id] = self.snapshot(self.assignment(assignment_id))

    @precondition(lambda self: self.world.fms.requests)
    @rule(pick=st.integers(0, 50))
    def fms_approves_and_the_sync_runs(self, pick: int) -> None:
        """FMS approves one of its requests (it becomes a current activity) and the nightly sync runs
        its reconciliation, which leaves operations a live process holds alone."""
        fms_id = sorted(self.world.fms.requests)[pick % len(self.world.fms.requests)]
        self.approve(self.world.fms.requests.pop(fms_id).request)
        self.sync_runs()

    def approve(self, request: VehicleRequest) -> int:
        """FMS approves the request: it becomes a current activity (the report loaded by the next sync)."""
        self.activity_ids += 1
        start, end = request.start_date, request.end_date
        self.activities.append(Activity(self.activity_ids, VIN_A, start, end, person_id=request.loanee_id))
        return self.activity_ids

    def load_activities(self) -> None:
        """The current-activity report as FMS has it now (loaded by the next sync if storage is down)."""
        with contextlib.suppress(PortError):
            self.run(self.world.set_activities(*self.activities))

    def sync_runs(self) -> None:
        self.load_activities()
        try:
            summary = self.run(
                reconcile_assignments(uow_factory=self.world.uow_factory, clock=self.world.clock)
            )
        except PortError:
            return
        for assignment_id, _ in summary.activated:
            self.fms_owned[assignment_id] = self.snapshot(self.assignment(assignment_id))

    # --- FMS, time and processes --------------------------------------------------------------

    @precondition(lambda self: self.fms.waiting)
    @rule(pick=st.integers(0, 50), fault=FAULTS, unclear_lookup=st.booleans())
    def fms_answers(self, pick: int, fault: FmsFault | None, unclear_lookup: bool) -> None:
        call = self.fms.waiting[pick % len(self.fms.waiting)]
        self.run(self.fms.answer(call, fault, unclear_lookup))

    @rule(steps=st.integers(1, 6), reached=st.booleans())
    def time_passes(self, steps: int, reached: bool) -> None:
        """The clock moves in heartbeat steps: calls older than the longest call time out (FMS acted
        on them or not), live processes renew their lease at each step (stalled ones do not)."""
        for _ in range(steps):
            self.world.clock.advance(self.processes[0].holder.renew_every)
            now = self.world.clock.now()
            for call in list(self.fms.waiting):
                if now - call.sent_at >= MACHINE_CALL:
                    self.loop.run_until_complete(self.fms.time_out(call, reached))
            self.pump()
            for proc in self.processes:
                if proc.alive and not proc.stalled:
                    self.heartbeat(proc)
        self.pump()

    def heartbeat(self, proc: Process) -> None:
        """What the heartbeat does: read the database's time, store what the process owes, renew."""
        if self.storage.down:
            return  # reading the database's time fails first
        proc.sync_clock()
        ports = self.ports(proc)
        with contextlib.suppress(PortError):
            self.run(store_owed(ports))
            self.run(renew_hold(proc.holder, uow_factory=ports.uow_factory, clock=ports.clock))

    @rule(down=st.booleans())
    def storage_blinks(self, down: bool) -> None:
        """The database goes down (every unit of work fails) or comes back."""
        self.storage.down = down
        self.pump()

    @rule(p=PROCESS, rate=st.sampled_from([-0.01, 0.0, 0.01]))
    def clock_runs_at(self, p: int, rate: float) -> None:
        """The process's monotonic clock runs up to 1 % slow or fast from now on."""
        self.processes[p].monotonic.run_at(rate)

    @rule(p=PROCESS, reached=st.lists(st.booleans(), min_size=8, max_size=8))
    def process_stops(self, p: int, reached: list[bool]) -> None:
        """SIGTERM: queued calls are not sent; the calls under way outlast the wait and are cut off
        (FMS acted on them or not); the process stores what it owes and gives its lease up, or lets
        it lapse after a quiet time when calls were cut off (or the database does not answer)."""
        proc = self.processes[p]
        proc.holder.stop()
        self.pump()
        mine = [c for c in self.fms.waiting if c.process == proc.name]
        for call, did in zip(mine, reached * 8, strict=False):
            self.loop.run_until_complete(self.fms.crash(call, did))
        for task in list(proc.tasks):
            task.cancel()
        self.pump()
        with contextlib.suppress(PortError):
            self.run(stop_holding(self.ports(proc)))
        proc.alive = False
        self.processes[p] = self.spawn()

    @rule(p=PROCESS, stalled=st.booleans())
    def heartbeat_stalls(self, p: int, stalled: bool) -> None:
        self.processes[p].stalled = stalled

    @rule(p=PROCESS, reached=st.lists(st.booleans(), min_size=8, max_size=8))
    def process_crashes(self, p: int, reached: list[bool]) -> None:
        """The process dies: its calls at the gate reached FMS or not, its tasks and holds are gone."""
        proc = self.processes[p]
        mine = [c for c in self.fms.waiting if c.process == proc.name]
        for call, did in zip(mine, reached * 8, strict=False):
            self.loop.run_until_complete(self.fms.crash(call, did))
        proc.alive = False
        for task in list(proc.tasks):
            task.cancel()
        self.pump()
        self.processes[p] = self.spawn()

    # --- helpers ------------------------------------------------------------------------------

    def assignment(self, assignment_id: int) -> Assignment:
        return self.world.uow_factory.store.tables.assignments[assignment_id]

    def truth_in_fms(self, a: Assignment) -> tuple[Resolution, int | None]:
        """What a person finds in FMS for the assignment's pending operation."""
        assert a.pending is not None
        if a.pending.kind is PendingKind.CREATE:
            assert a.assignment_id is not None
            reference = scheduler_reference(a.assignment_id, a.pending.operation_id)
            for fms_id, stored in self.world.fms.requests.items():
                if stored.request.requestor_notes == reference:
                    return Resolution.LINK, fms_id
            return Resolution.NOT_SENT, None
        if a.fms_request_id in self.world.fms.requests:
            return Resolution.STILL_OPEN, None
        return Resolution.DELETED, None

    @staticmethod
    def snapshot(a: Assignment) -> tuple[object, ...]:
        return (a.status, a.fms_state, a.fms_request_id, a.activity_id, a.removed)

    def assignments(self) -> list[Assignment]:
        return list(self.world.uow_factory.store.tables.assignments.values())

    def settle_everything(self) -> None:
        """FMS is healthy: answer every call, let the queues drain, and recover what is left."""
        self.storage.down = False
        for proc in self.processes:
            proc.stalled = False
        for _ in range(200):
            if self.fms.waiting:
                self.run(self.fms.answer(self.fms.waiting[0], None, False))
                continue
            if any(p.tasks for p in self.processes):
                self.time_passes(1, reached=False)
                continue
            if not any(a.fms_state.in_flight for a in self.assignments() if not a.removed):
                self.fms_resends_events()  # FMS retries what was deferred while a call was under way
                self.sync_runs()  # the next nightly sync: what it left to a running call, it sees now
                if not any(a.fms_state.in_flight for a in self.assignments() if not a.removed):
                    return
                continue
            # A lease's time passes in heartbeats: live processes keep their holds (what they hold
            # with no call under way must settle all the same), dead ones lose theirs.
            self.time_passes(LEASE // self.processes[0].holder.renew_every, reached=False)
            self.recovery_pass(0)
        raise AssertionError("the protocol did not settle against a healthy FMS")

    def check_i2(self) -> None:
        live = [a for a in self.assignments() if not a.removed]
        assert not [a for a in live if a.fms_state.in_flight], "a healthy FMS left something unsettled"
        held = Counter(a.fms_request_id for a in live if a.status is Status.REQUESTED)
        assert all(n == 1 for n in held.values()), held
        assert set(held) == set(self.world.fms.requests), (held, self.world.fms.requests)

    # --- invariants ---------------------------------------------------------------------------

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
    def one_live_holder_per_fms_request(self) -> None:
        held = Counter(
            a.fms_request_id for a in self.assignments() if not a.removed and a.status is Status.REQUESTED
        )
        assert all(n == 1 for n in held.values()), held

    @invariant()
    def i5_every_fms_call_is_audited(self) -> None:
        audited = Counter(o.call for o in self.world.uow_factory.store.tables.operations.values())
        called = Counter(call for call, _ in self.world.fms.calls)
        for call, n in called.items():
            assert audited[call] >= n, (call, audited, called)

    # --- people inside the quiet time, events before the outcome (issue 21, items 5 and 7) -----

    @rule(pick=st.integers(0, SLOTS - 1))
    def person_resolves_inside_the_quiet_time(self, pick: int) -> None:
        """Concluding that FMS did nothing (not_sent, still_open) while it may still act is refused
        with the time it may act until, and changes nothing."""
        if self.storage.down:
            return  # 503: nothing to check
        now = self.world.clock.now()
        quiet = [a for a in self.assignments() if not a.removed and a.fms_may_act_until(now) is not None]
        if not quiet:
            return
        a = quiet[pick % len(quiet)]
        assert a.assignment_id is not None
        assert a.pending is not None
        creating = a.pending.kind is PendingKind.CREATE
        before = (self.snapshot(a), a.pending)
        with pytest.raises(FmsMayStillAct) as refused:  # 409: never accepted inside the quiet time
            self.run(
                resolve_operation(
                    a.assignment_id,
                    Resolution.NOT_SENT if creating else Resolution.STILL_OPEN,
                    fms_request_id=None,
                    actor=self.world.actor,
                    uow_factory=self.world.uow_factory,
                    clock=self.world.clock,
                )
            )
        assert refused.value.until == a.fms_may_act_until(now)
        after = self.assignment(a.assignment_id)
        assert (self.snapshot(after), after.pending) == before

    @precondition(
        lambda self: not self.storage.down and any(call.kind == "create" for call in self.fms.waiting)
    )
    @rule(pick=st.integers(0, 50), kind=st.sampled_from(list(FmsEventType)))
    def fms_pushes_an_event_before_the_outcome(self, pick: int, kind: FmsEventType) -> None:
        """FMS creates the request, then pushes its approval or rejection before the caller hears the
        answer: the event waits, the outcome is stored, and the recovery worker's sweep (or the
        outcome path itself) applies it."""
        creates = [c for c in self.fms.waiting if c.kind == "create"]
        call = creates[pick % len(creates)]
        if call.answer.done():
            return
        try:
            answer = self.loop.run_until_complete(call.perform())
        except FmsCallError as error:
            call.answer.set_exception(error)
            self.pump()
            return
        fms_id = answer.fms_request_id
        request = self.world.fms.requests.pop(fms_id).request
        activity_id = self.approve(request) if kind is FmsEventType.APPROVED else None
        self.load_activities()
        event = FmsRequestEvent(f"e{len(self.events)}", kind, fms_id, activity_id)
        self.events.append(event)
        early = self.run(apply_fms_event(event, uow_factory=self.world.uow_factory, clock=self.world.clock))
        assert early.outcome == "waiting", early  # nobody can hold a request whose answer is unheard
        call.answer.set_result(answer)
        self.pump()  # the caller stores the outcome
        swept = self.run(
            apply_waiting_events(None, uow_factory=self.world.uow_factory, clock=self.world.clock)
        )
        for result in swept:
            for assignment_id, _, status in result.changed:
                if status == Status.ACTIVE:
                    self.fms_owned[assignment_id] = self.snapshot(self.assignment(assignment_id))


ProtocolMachine.TestCase.settings = settings(max_examples=200, stateful_step_count=40, deadline=None)
TestProtocol = ProtocolMachine.TestCase
