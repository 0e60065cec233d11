"""Use-case: is this process ready to take FMS work? (GET /healthz/ready)

Ready means: the database takes writes (a read-only or standby database answers every write with
503), the database confirmed this process's lease recently (within two renewals: calls are sent only
under a confirmed lease), and no operation this process holds sits with no call of its own under way
(an answer it could not store, or a hold it kept after a fault: nobody else may settle those).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from application.port_errors import PortError
from application.ports import Clock, ReadinessProbe
from application.protocol.holds import Holder


@dataclass
class Readiness:
    """The figures readiness is decided on, and every reason it is not ready."""

    writable: bool | None = None
    lease_age_seconds: float | None = None
    held_without_call: int | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        """True when nothing stands in the way."""
        return not self.reasons


async def check_readiness(
    *, probe: ReadinessProbe, holder: Holder, clock: Clock, calls_queued: bool
) -> Readiness:
    """Check the three conditions; `calls_queued` says this process has a bulk under way (its queued
    calls are held with no call under way yet, rightly)."""
    found = Readiness()
    now = clock.now()
    confirmed = holder.confirmed_at
    if confirmed is None:
        found.reasons.append("the database has not confirmed this process's lease yet")
    else:
        found.lease_age_seconds = (now - confirmed).total_seconds()
        if now - confirmed > 2 * holder.renew_every:
            found.reasons.append(
                f"this process's lease was last confirmed {found.lease_age_seconds:.0f} s ago "
                f"(renewed every {holder.renew_every.total_seconds():g} s): no FMS call may be sent"
            )
    try:
        found.writable = await probe.writable()
        if not found.writable:
            found.reasons.append("the database is read-only (or a standby): every write would fail")
        held = 0
        if not calls_queued:
            # A single call ends within the longest call; an operation held longer is stuck.
            held = await probe.held_since(holder.holder_id, intent_before=now - holder.longest_call)
        found.held_without_call = held
        if held:
            found.reasons.append(
                f"{held} FMS operation(s) held by this process with no call under way "
                "(outcomes not stored yet)"
            )
    except PortError as exc:
        found.reasons.append(f"the database is unavailable: {exc}")
    return found
