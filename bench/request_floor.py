"""Floors for one Request (bench/bulk_request.py): its database round trips as hand-written statements,
and its FMS create as one HTTP/1.1 request on a raw socket.

The database floor does what a Request's statements do, in as many round trips (6), with the least
SQL that does it: in one transaction, lock the vehicle and the row, read the vehicle, partner,
activities and bookings, store the row with its audit row, commit (flushed); wait as long as FMS
takes; then store the outcome with its audit row in one statement whose commit is not flushed. No
domain, no application layer, no adapter; JSON instead of rows.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from datetime import UTC, datetime
from urllib.parse import urlsplit

from adapters.fms_http.wire import create_body
from adapters.postgres.db import PgPool
from domain.fms_request import VehicleRequest

_LOCK = (
    "WITH l AS MATERIALIZED (SELECT pg_advisory_xact_lock(1, hashtext(vin)) FROM assignments WHERE id = $1) "
    "SELECT * FROM assignments WHERE id = $1 AND (SELECT count(*) FROM l) > 0 FOR UPDATE"
)
_READ = (
    "SELECT (SELECT row_to_json(v) FROM vehicles v WHERE vin = $1) AS vehicle, "
    "(SELECT json_agg(p) FROM media_partners p WHERE person_id = $2 AND office = $3) AS partner, "
    "(SELECT json_agg(c) FROM current_activity c WHERE vin = $1) AS activities, "
    "(SELECT json_agg(b) FROM (SELECT id, start_day, end_day FROM assignments WHERE vin = $1 "
    "AND NOT removed AND start_day <= $5 AND end_day >= $4) b) AS bookings"
)
_INTENT = (
    "WITH u AS (UPDATE assignments SET fms_state = 'creating', pending_operation_id = $2, "
    "pending_kind = 'create', version = version + 1 WHERE id = $1 RETURNING id) "
    "INSERT INTO fms_operations (operation_id, assignment_id, call, purpose, actor, started_at) "
    "SELECT $2, id, 'create', 'create', 'floor', $3 FROM u"
)
_FLOOR_REQUEST_IDS = itertools.count(900_000_000)  # made-up FMS ids, never two alike
_OUTCOME = (
    "WITH u AS (UPDATE assignments SET fms_state = 'open', status = 'requested', fms_request_id = $3, "
    "status_before_request = status, pending_operation_id = NULL, pending_kind = NULL, "
    "version = version + 1 WHERE id = $1 RETURNING id), "
    "o AS (UPDATE fms_operations SET outcome = 'success', finished_at = $4, fms_request_id = $3 "
    "WHERE operation_id = $2) SELECT set_config('synchronous_commit', 'off', true)"
)


async def database_floor(pool: PgPool, assignment_ids: list[int], *, fms_seconds: float) -> list[float]:
    """The time of a Request's 6 round trips, hand-written, for each of these fresh assignments; between
    the intent's commit and the outcome it waits as long as FMS takes (that time not counted), so that
    the outcome meets a database (and a machine) as idle as the service's does."""
    durations = []
    async with pool.acquire() as conn:
        for assignment_id in assignment_ids:
            operation_id, now = uuid.uuid4(), datetime.now(UTC)
            started = time.perf_counter()
            async with conn.transaction():
                a = await conn.fetchrow(_LOCK, assignment_id)
                assert a is not None
                await conn.fetchrow(
                    _READ, *(a[k] for k in ("vin", "person_id", "office", "start_day", "end_day"))
                )
                await conn.execute(_INTENT, assignment_id, operation_id, now)
            intent = time.perf_counter() - started
            await asyncio.sleep(fms_seconds)
            started = time.perf_counter()
            await conn.execute(_OUTCOME, assignment_id, operation_id, next(_FLOOR_REQUEST_IDS), now)
            durations.append(intent + time.perf_counter() - started)
    return durations


async def raw_fms_floor(url: str, token: str, requests: list[VehicleRequest]) -> list[float]:
    """The time of each create sent as one HTTP/1.1 request on one kept-alive raw socket."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    durations = []
    try:
        for request in requests:
            body = json.dumps(create_body(request)).encode()
            head = (
                f"POST /api/v1/vehicle_requests HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                f"Authorization: Token {token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            started = time.perf_counter()
            writer.write(head + body)
            answer = await reader.readuntil(b"\r\n\r\n")
            length = next(
                int(line.split(b":", 1)[1])
                for line in answer.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            await reader.readexactly(length)
            durations.append(time.perf_counter() - started)
            if not answer.startswith(b"HTTP/1.1 201"):
                raise RuntimeError(f"the simulator answered {answer.splitlines()[0]!r}")
    finally:
        writer.close()
    return durations
