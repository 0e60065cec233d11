"""Fault injection of the simulator: latency and faults (the shared vocabulary, adapters/fms_faults.py)."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from adapters.fms_faults import LOOKUP_FAULTS, FmsFault

CALLS = frozenset({"create", "delete", "lookup"})
LOOKUP_MODES = LOOKUP_FAULTS


@dataclass
class FaultRule:
    """One injected fault: for the next `remaining` matching calls (None: every one) of some calls."""

    mode: FmsFault = FmsFault.ERROR
    status: int = 500
    detail: str | None = None
    remaining: int | None = 1
    vehicle_id: int | None = None
    calls: frozenset[str] = CALLS
    probability: float = 1.0  # below 1: each matching call suffers it only with this chance (soak tests)
    page_size: int = 1  # lookup_paged: requests per page

    def matches(self, call: str, vehicle_ids: frozenset[int]) -> bool:
        """True when this rule applies to the call."""
        if call not in self.calls or self.remaining == 0:
            return False
        return self.vehicle_id is None or self.vehicle_id in vehicle_ids

    def describe(self) -> dict[str, object]:
        """The rule as the control API shows it."""
        return {
            "mode": self.mode.value,
            "status": self.status,
            "detail": self.detail,
            "remaining": self.remaining,
            "vehicle_id": self.vehicle_id,
            "calls": sorted(self.calls),
            "probability": self.probability,
            "page_size": self.page_size,
        }


@dataclass
class FaultPlan:
    """The faults waiting for the next calls, plus a latency applied to every API call."""

    default_latency_ms: int = 0
    latency_ms: int = 0
    rules: list[FaultRule] = field(default_factory=list)
    rng: random.Random = field(default_factory=random.Random)
    hits: Counter[str] = field(default_factory=Counter)  # faults dealt, by mode

    def __post_init__(self) -> None:
        self.latency_ms = self.default_latency_ms

    def take(self, call: str, vehicle_ids: frozenset[int] = frozenset()) -> FaultRule | None:
        """The first rule matching the call (counting it down), or None: vehicle rules win."""
        ordered = sorted(self.rules, key=lambda r: r.vehicle_id is None)
        for rule in ordered:
            if rule.matches(call, vehicle_ids):
                if rule.probability < 1.0 and self.rng.random() >= rule.probability:
                    continue
                self.hits[rule.mode.value] += 1
                if rule.remaining is not None:
                    rule.remaining -= 1
                self.rules = [r for r in self.rules if r.remaining != 0]
                return rule
        return None

    def clear(self) -> None:
        """No more faults, and the configured latency again."""
        self.rules.clear()
        self.latency_ms = self.default_latency_ms
