"""Exponential backoff with full jitter, per key (the recovery worker's retry pacing)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta


class Backoff:
    """Remembers failures per key and says when a key may be tried again."""

    def __init__(
        self, *, base_seconds: float = 5.0, cap_seconds: float = 900.0, rng: random.Random | None = None
    ):
        self.base = base_seconds
        self.cap = cap_seconds
        self._rng = rng or random.Random()
        self._state: dict[int, tuple[int, datetime]] = {}

    def due(self, key: int, now: datetime) -> bool:
        """True when the key has no failure pending a wait."""
        state = self._state.get(key)
        return state is None or now >= state[1]

    def failed(self, key: int, now: datetime) -> None:
        """Note a failure: wait a random time up to base * 2^failures (capped) before the next try."""
        failures = self._state.get(key, (0, now))[0] + 1
        ceiling = min(self.cap, self.base * 2 ** (failures - 1))
        self._state[key] = (failures, now + timedelta(seconds=self._rng.uniform(0, ceiling)))

    def forget(self, key: int) -> None:
        """The key was settled: start afresh next time."""
        self._state.pop(key, None)

    def failures(self, key: int) -> int:
        """How many failures in a row the key has had."""
        return self._state.get(key, (0, datetime.min))[0]
