"""Protocol step 2: FMS calls outside any transaction, at most N at once; one writer stores outcomes.

A queued call is sent only under a lease the database confirmed within one renewal interval, long
enough for the call, with no answer of this process waiting in the outbox to be stored (holds.py,
outbox.py): while storage fails, queued calls wait for the heartbeat to get through, so at most the
calls already under way meet a database that is down. A call whose hold was lost (the lease lapsed
and another process may have taken it over), or queued when the process stops, is not sent, and
says so. The writer (step 3, outcomes.py) takes whatever calls have finished and stores them in one
transaction: the database work per item shrinks as concurrency grows, and no answer waits long
unrecorded. A call's slot comes free once its outcome is stored (or kept), so at most N calls are
ever sent past the last outcome the database took.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence

from application.port_errors import FmsAmbiguous, FmsCallError, FmsNotReached, PortError
from application.protocol.holds import renew_hold
from application.protocol.outcomes import record_outcomes, store_owed
from application.protocol.ports import ProtocolPorts
from application.protocol.records import CallOutcome, ItemResult, PendingCall

# How long the writer waits for more calls to finish before storing what it has. None: a call's
# slot comes free only once its outcome is stored, so waiting would hold every slot of the batch
# (bench/bulk_request.py: 1.29x the latency bound at C = 8 with 10 ms, 1.14x with none). Batches still
# form: what finishes while the writer stores one batch makes the next.
BATCH_WINDOW_SECONDS = 0.0


NOT_SENT = (
    "not sent: this process could not keep its hold on the operation (its lease was not renewed in "
    "time), so FMS was not called"
)
NOT_SENT_STOPPING = "not sent: the service is stopping, so FMS was not called; try again"


async def cleared_to_send(call: PendingCall, ports: ProtocolPorts) -> str | None:
    """None when the call may be sent now; else why it is not sent. Waits while the database does not
    take this process's writes (its outbox is stored and its lease renewed first)."""
    holder = ports.holder
    pending = call.assignment.pending
    held_by = pending.held_by if pending is not None else None
    while True:
        if holder.stopping:
            return NOT_SENT_STOPPING
        if held_by != holder.holder_id:
            return NOT_SENT
        now = ports.clock.now()
        if not ports.holder.outbox and holder.confirmed_recently(now) and holder.covers_a_call(now):
            return None
        try:
            await store_owed(ports)
            await renew_hold(holder, uow_factory=ports.uow_factory, clock=ports.clock)
        except PortError:
            await holder.storage_ok.wait()  # set by the next renewal the database takes


async def call_fms(call: PendingCall, ports: ProtocolPorts) -> CallOutcome:
    """Make one call once cleared to send; never raises (a broken gateway counts as ambiguous)."""
    refused = await cleared_to_send(call, ports)
    if refused is not None:
        return CallOutcome(call, error=FmsNotReached(refused))
    ports.holder.under_way += 1
    try:
        return await _send(call, ports)
    except asyncio.CancelledError:
        ports.holder.cut_off += 1
        raise
    finally:
        ports.holder.under_way -= 1


async def _send(call: PendingCall, ports: ProtocolPorts) -> CallOutcome:
    try:
        if call.request is not None:
            answer = await ports.fms.create_request(call.request)
            if answer.fms_request_id is None:
                raise FmsAmbiguous(
                    "FMS accepted the create without a request id", status_code=answer.status_code
                )
        else:
            assert call.assignment.fms_request_id is not None
            answer = await ports.fms.delete_request(call.assignment.fms_request_id)
    except FmsCallError as error:
        return CallOutcome(call, error=error)
    except Exception as error:
        return CallOutcome(call, error=FmsAmbiguous(f"unexpected error calling FMS: {type(error).__name__}"))
    return CallOutcome(call, answer=answer)


async def run_calls(
    calls: Sequence[PendingCall],
    *,
    ports: ProtocolPorts,
    max_concurrency: int,
    publish: Callable[[ItemResult], None],
) -> None:
    """Steps 2 and 3 for every call: at most max_concurrency calls at once, results published as stored."""
    finished: asyncio.Queue[CallOutcome] = asyncio.Queue()
    gate = asyncio.Semaphore(max_concurrency)

    async def call_one(call: PendingCall) -> None:
        # A slot is given back once the call's outcome is stored (or kept), not when FMS answers: so
        # at most max_concurrency calls are sent past the last outcome the database took.
        await gate.acquire()
        try:
            outcome = await call_fms(call, ports)
        except BaseException:
            gate.release()
            raise
        finished.put_nowait(outcome)

    async def next_batch(outstanding: int) -> list[CallOutcome]:
        batch = [await finished.get()]
        if BATCH_WINDOW_SECONDS > 0:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(BATCH_WINDOW_SECONDS):
                    while len(batch) < outstanding:  # wait briefly only while calls are under way
                        batch.append(await finished.get())
        while not finished.empty():
            batch.append(finished.get_nowait())
        return batch

    async def write_all() -> None:
        written = 0
        while written < len(calls):
            batch = await next_batch(len(calls) - written)
            results = await record_outcomes(batch, ports=ports)
            for _ in batch:
                gate.release()
            for result in results:
                publish(result)
            written += len(batch)

    await asyncio.gather(write_all(), *(call_one(call) for call in calls))
