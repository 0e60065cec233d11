"""MemoryFmsEventLog: the events FMS pushed, over the in-memory store."""

from __future__ import annotations

from dataclasses import replace

from adapters.memory.store import MemoryStore
from application.fms_events import ReceivedEvent


class MemoryFmsEventLog:
    """One entry per event id, as the fms_webhook_events table keeps them."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def remember(self, event: ReceivedEvent) -> bool:
        """Record the event; False when its event id is already recorded."""
        events = self._store.tables.fms_events
        if event.event_id in events:
            return False
        events[event.event_id] = event
        return True

    async def record_outcome(self, event_id: str, outcome: str) -> None:
        """Write down what applying the recorded event did."""
        events = self._store.tables.fms_events
        if event_id in events:
            events[event_id] = replace(events[event_id], outcome=outcome)

    async def get(self, event_id: str) -> ReceivedEvent | None:
        """The recorded event, or None."""
        return self._store.tables.fms_events.get(event_id)

    async def waiting(self, fms_request_id: int | None, *, limit: int = 100) -> list[ReceivedEvent]:
        """Events still waiting for that request id (any, when None), oldest first."""
        waiting = [
            e
            for e in self._store.tables.fms_events.values()
            if e.outcome == "waiting" and fms_request_id in (None, e.fms_request_id)
        ]
        return sorted(waiting, key=lambda e: (e.received_at, e.event_id))[:limit]
