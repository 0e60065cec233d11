"""The protocol state machine must catch the bug it was built for: holds stamped at intent time.

The mutant keeps no hold alive while a call waits in a bulk's queue (no heartbeat) and sends queued
calls without checking the hold, as the first version did. The recovery worker then takes a queued
create over, finds nothing in FMS and settles it "not sent"; the bulk sends it anyway: an orphan.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import Flaky
from hypothesis.stateful import run_state_machine_as_test

from application.protocol import calls
from application.protocol.holds import Holder
from tests.unit.application.protocol_actors import Process
from tests.unit.application.test_protocol_state_machine import ProtocolMachine


class StampedAtIntent(ProtocolMachine):
    """Holds stamped when the intent is committed and never renewed; calls sent regardless."""

    def heartbeat(self, proc: Process) -> None:
        """No heartbeat: a hold lasts one lease from its intent."""


async def _always(holder: Holder, held_by: object, **_: object) -> bool:
    return True


def test_the_machine_finds_holds_stamped_at_intent_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calls, "may_send", _always)
    with pytest.raises((AssertionError, Flaky, BaseExceptionGroup)):
        run_state_machine_as_test(
            StampedAtIntent,
            settings=settings(
                max_examples=1500,
                derandomize=True,
                phases=[Phase.generate],  # finding it is the point; shrinking would only cost time
                stateful_step_count=30,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
                print_blob=False,
            ),
        )
