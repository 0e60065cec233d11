"""The protocol state machine must catch the bugs it was built for: holds stamped at intent time, and
answers dropped when the database did not take them.

The mutant keeps no hold alive while a call waits in a bulk's queue (no heartbeat) and sends queued
calls without checking the hold, as the first version did. The recovery worker then takes a queued
create over, finds nothing in FMS and settles it "not sent"; the bulk sends it anyway: an orphan.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import Flaky
from hypothesis.stateful import run_state_machine_as_test

from application.port_errors import PortError
from application.protocol import calls
from application.protocol.outcomes import store_outcomes
from application.protocol.ports import ProtocolPorts
from application.protocol.records import CallOutcome, ItemResult
from tests.unit.application.protocol_actors import Process
from tests.unit.application.test_protocol_state_machine import ProtocolMachine


class _TheBugsActors(ProtocolMachine):
    """The machine with only the actors of these bugs: requests and bulk queues, FMS answering, time,
    the storage going down, recovery and people. The other rules are hidden (a plain method of the
    same name is no rule), so that the search finds a bug in a few hundred examples whatever ran
    before it."""

    def unrequest_or_delete(self) -> None:
        """Hidden from the search."""

    def person_links_a_request_someone_else_holds(self) -> None:
        """Hidden from the search."""

    def person_resolves_inside_the_quiet_time(self) -> None:
        """Hidden from the search."""

    def fms_pushes_an_event(self) -> None:
        """Hidden from the search."""

    def fms_pushes_an_event_before_the_outcome(self) -> None:
        """Hidden from the search."""

    def fms_resends_events(self) -> None:
        """Hidden from the search (and a no-op when the machine settles)."""

    def fms_approves_and_the_sync_runs(self) -> None:
        """Hidden from the search."""

    def heartbeat_stalls(self) -> None:
        """Hidden from the search."""

    def process_crashes(self) -> None:
        """Hidden from the search."""

    def process_stops(self) -> None:
        """Hidden from the search."""

    def clock_runs_at(self) -> None:
        """Hidden from the search."""


MUTANT_SEARCH = settings(
    max_examples=1500,
    derandomize=True,
    phases=[Phase.generate],  # finding it is the point; shrinking would only cost time
    stateful_step_count=30,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


class StampedAtIntent(_TheBugsActors):
    """Holds stamped when the intent is committed and never renewed; calls sent regardless."""

    def heartbeat(self, proc: Process) -> None:
        """No heartbeat: a hold lasts one lease from its intent."""

    def storage_blinks(self) -> None:
        """Hidden from the search."""


async def _always(call: object, ports: object) -> str | None:
    return None  # always cleared to send


def test_the_machine_finds_holds_stamped_at_intent_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calls, "cleared_to_send", _always)
    with pytest.raises((AssertionError, Flaky, BaseExceptionGroup)):
        run_state_machine_as_test(StampedAtIntent, settings=MUTANT_SEARCH)


class DropsUnstoredAnswers(_TheBugsActors):
    """The outcome writer of the previous round: an answer the database did not take is dropped while
    the process keeps its hold, so nobody settles the operation until the process stops."""


async def _drop_unstored(batch: Sequence[CallOutcome], *, ports: ProtocolPorts) -> list[ItemResult]:
    try:
        return await store_outcomes(batch, ports=ports)
    except PortError as failure:
        return [ItemResult(d.call.index, d.call.assignment_id, d.call.assignment, failure) for d in batch]


def test_the_machine_finds_answers_dropped_when_the_database_is_down(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calls, "record_outcomes", _drop_unstored)
    with pytest.raises((AssertionError, Flaky, BaseExceptionGroup)):
        run_state_machine_as_test(DropsUnstoredAnswers, settings=MUTANT_SEARCH)
