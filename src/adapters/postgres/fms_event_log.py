"""PostgresFmsEventLog: the events FMS pushed (fms_webhook_events), inside the unit of work's transaction."""

from __future__ import annotations

from adapters.postgres.db import PgConnection, Row, affected_rows
from adapters.postgres.errors import translate_errors
from application.fms_events import ReceivedEvent

# A concurrent delivery of the same event waits on the primary key until the first commits, then
# inserts nothing: the event applies once.
_REMEMBER = """
INSERT INTO fms_webhook_events
    (event_id, type, fms_request_id, received_at, outcome, activity_id, fingerprint)
VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING
"""
_OUTCOME = "UPDATE fms_webhook_events SET outcome = $2 WHERE event_id = $1"
_COLUMNS = "event_id, type, fms_request_id, received_at, outcome, activity_id, fingerprint"
_GET = f"SELECT {_COLUMNS} FROM fms_webhook_events WHERE event_id = $1"
# Locked until commit: an outcome writer and the recovery worker's sweep never apply one event twice
# (the second waits, then finds the row no longer waiting and skips it).
_WAITING = f"""
SELECT {_COLUMNS} FROM fms_webhook_events
WHERE outcome = 'waiting' AND ($1::bigint IS NULL OR fms_request_id = $1)
ORDER BY received_at, event_id LIMIT $2 FOR UPDATE
"""


class PostgresFmsEventLog:
    """The fms_webhook_events table, on the unit of work's connection."""

    def __init__(self, conn: PgConnection) -> None:
        self._conn = conn

    @translate_errors("remembering an FMS event")
    async def remember(self, event: ReceivedEvent) -> bool:
        """Record the event; False when its event id is already recorded."""
        status = await self._conn.execute(
            _REMEMBER,
            event.event_id,
            event.type,
            event.fms_request_id,
            event.received_at,
            event.outcome,
            event.activity_id,
            event.fingerprint,
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
        return _event(row) if row is not None else None

    @translate_errors("reading waiting FMS events")
    async def waiting(self, fms_request_id: int | None, *, limit: int = 100) -> list[ReceivedEvent]:
        """Events still waiting for that request id (any, when None), oldest first, locked until commit."""
        return [_event(row) for row in await self._conn.fetch(_WAITING, fms_request_id, limit)]


def _event(row: Row) -> ReceivedEvent:
    return ReceivedEvent(
        row["event_id"],
        row["type"],
        row["fms_request_id"],
        row["received_at"],
        row["outcome"],
        activity_id=row["activity_id"],
        fingerprint=row["fingerprint"],
    )
