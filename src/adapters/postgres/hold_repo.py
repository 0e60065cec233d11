"""PostgresHoldRepo: the leases of processes holding FMS operations, in the fms_holders table.

Renewing and taking over both write the holder's row, so they are serialised: a takeover ends the
lease for good ('-infinity'), and a renewal only extends a lease still running after any takeover.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from adapters.postgres.db import PgConnection
from adapters.postgres.errors import translate_errors

_RENEW = (
    "INSERT INTO fms_holders (holder_id, name, lease_until) VALUES ($1, $2, $3) "
    "ON CONFLICT (holder_id) DO UPDATE SET lease_until = greatest(fms_holders.lease_until, $3) "
    "WHERE fms_holders.lease_until > $4 RETURNING holder_id"
)
_TAKE_FROM = (
    "INSERT INTO fms_holders (holder_id, name, lease_until) VALUES ($1, 'unknown', '-infinity') "
    "ON CONFLICT (holder_id) DO UPDATE SET lease_until = '-infinity' "
    "WHERE fms_holders.lease_until <= $2 RETURNING holder_id"
)
_RELEASE = "UPDATE fms_holders SET lease_until = '-infinity' WHERE holder_id = $1"
_LIVE = "SELECT holder_id FROM fms_holders WHERE holder_id = ANY($1::uuid[]) AND lease_until > $2"


class PostgresHoldRepo:
    """Holder leases on one connection whose transaction the unit of work owns."""

    def __init__(self, conn: PgConnection) -> None:
        self._conn = conn

    @translate_errors("renewing a hold")
    async def renew(self, holder_id: UUID, name: str, until: datetime, *, now: datetime) -> bool:
        """Register a new holder or extend a running lease; False when the lease lapsed."""
        return await self._conn.fetchval(_RENEW, holder_id, name, until, now) is not None

    @translate_errors("taking over a hold")
    async def take_from(self, holder_id: UUID, *, now: datetime) -> bool:
        """True (and the lease ended for good) when it lapsed; False while it runs."""
        return await self._conn.fetchval(_TAKE_FROM, holder_id, now) is not None

    @translate_errors("releasing a hold")
    async def release(self, holder_id: UUID) -> None:
        """End a holder's lease for good."""
        await self._conn.execute(_RELEASE, holder_id)

    @translate_errors("reading holds")
    async def live(self, holder_ids: Iterable[UUID], *, now: datetime) -> set[UUID]:
        """Those of the holders whose lease is running at now."""
        wanted = list(set(holder_ids))
        if not wanted:
            return set()
        rows = await self._conn.fetch(_LIVE, wanted, now)
        return {UUID(int=row[0].int) for row in rows}
