"""A holder for tests that drive the protocol directly (the service makes one per process)."""

from __future__ import annotations

from datetime import timedelta

from application.protocol.holds import Holder

LEASE = timedelta(minutes=2)
LONGEST_CALL = timedelta(seconds=15)


def new_holder(name: str = "test-process") -> Holder:
    """A fresh holder with a two-minute lease covering a fifteen-second call."""
    return Holder(name=name, lease=LEASE, longest_call=LONGEST_CALL)
