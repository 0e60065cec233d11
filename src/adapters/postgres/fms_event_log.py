"""PostgresFmsEventLog: the events FMS pushed (fms_webhook_events), inside the unit of work's transaction."""

from __future__ import annotations

from adapters.postgres.db import PgConnection, affected_rows
from adapters.postgres.errors import translate_errors
from application.fms_events import ReceivedEvent

# A concurrent delivery of the same event waits on the primary key until the first commits, then
# inserts nothing: the event applies once.
_REMEMBER = """
INSERT INTO fms_webhook_events (event_id, type, fms_request_id, received_at, outcome)
VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING
"""
_OUTCOME = "UPDATE fms_webhook_events SET outcome = $2 WHERE event_id = $1"
_GET = (
    "SELECT event_id, type, fms_request_id, received_at, outcome FROM fms_webhook_events WHERE event_id = $1"
)


class PostgresFmsEventLog:
    """The fms_webhook_events table, on the unit of work's connection."""

    def __init__(self, conn: PgConnection) -> None:
        self._conn = conn

    @translate_errors("remembering an FMS event")
    async def remember(self, event: ReceivedEvent) -> bool:
        """Record the event; False when its event id is already recorded."""
        status = await self._conn.execute(
            _REMEMBER, event.event_id, event.type, event.fms_request_id, event.received_at, event.outcome
        )
        return affected_rows(status) == 1

    @translate_errors("recording an FMS event's outcome")
    async def record_outcome(self, event_id: str, outcome: str) -> None:
        """Write down what applying the recorded event did."""
        await self._conn.execute(_OUTCOME, event_id, outcome)

    @translate_errors("reading an FMS event")
    async def get(self, event_id: str) -> ReceivedEvent | None:
        """The recorded event, or None."""
        row = await self._conn.fetchrow(_GET, event_id)
        if row is None:
            return None
        return ReceivedEvent(
            row["event_id"], row["type"], row["fms_request_id"], row["received_at"], row["outcome"]
        )
