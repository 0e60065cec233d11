"""Fault injection of the simulator: latency, error statuses, commit-then-fail/hang, dropped connections."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

CALLS = frozenset({"create", "delete", "lookup"})


class FaultMode(StrEnum):
    """What a matching call suffers."""

    ERROR = "error"  # answer `status` without acting
    COMMIT_THEN_FAIL = "commit_then_fail"  # act, then answer `status`
    HANG = "hang"  # answer nothing until the client gives up, without acting
    COMMIT_THEN_HANG = "commit_then_hang"  # act, then answer nothing until the client gives up
    COMMIT_THEN_DROP = "commit_then_drop"  # act, then close the connection without an answer
    DROP = "drop"  # close the connection without an answer, without acting
    RESET = "reset"  # abort the connection with a TCP reset, without acting
    LOOKUP_UNFILTERED = "lookup_unfiltered"  # a lookup lists every request, ignoring the filter
    LOOKUP_PAGED = "lookup_paged"  # a lookup answers page 1 (of `page_size`) of the unfiltered listing


LOOKUP_MODES = frozenset({FaultMode.LOOKUP_UNFILTERED, FaultMode.LOOKUP_PAGED})


@dataclass
class FaultRule:
    """One injected fault: for the next `remaining` matching calls (None: every one) of some calls."""

    mode: FaultMode = FaultMode.ERROR
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
