"""The last steps of a process that stops, once its calls have ended or been cut off.

What it owes is stored (answers FMS gave that the database has not taken yet); then its lease is
given up, so what it still holds may be taken over at once, unless calls were cut off under way:
then the lease runs one more lease as a quiet time (holds.drop_hold). When the database does not
answer, nothing more can be done: the lease lapses by itself, and the recovery worker settles what
is left.
"""

from __future__ import annotations

from application.protocol.holds import drop_hold
from application.protocol.outcomes import store_owed
from application.protocol.ports import ProtocolPorts


async def stop_holding(ports: ProtocolPorts) -> None:
    """Store what this process owes, then give its lease up (PortError when the database does not answer)."""
    ports.holder.stop()
    await store_owed(ports)
    await drop_hold(ports.holder, uow_factory=ports.uow_factory, clock=ports.clock)
