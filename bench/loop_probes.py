"""Probes of a service's event loop for the benchmarks: how long it stalls, and the collector's pauses."""

from __future__ import annotations

import asyncio
import time


class GcPauses:
    """The garbage collector's pauses by generation (gc.callbacks), to tell them from the handlers' work."""

    def __init__(self) -> None:
        self.longest = [0.0, 0.0, 0.0]
        self.count = [0, 0, 0]
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        """gc's callback."""
        if phase == "start":
            self._started = time.perf_counter()
            return
        generation = info["generation"]
        self.count[generation] += 1
        self.longest[generation] = max(self.longest[generation], time.perf_counter() - self._started)

    def __str__(self) -> str:
        pairs = zip(self.longest, self.count, strict=True)
        return ", ".join(f"gen{g} {t * 1000:.1f} ms ({n}x)" for g, (t, n) in enumerate(pairs))


class StallTicker:
    """Sleeps 5 ms again and again on the loop; any lateness is time the loop spent on something else."""

    period = 0.005

    def __init__(self) -> None:
        self.stalls: list[tuple[float, float]] = []  # (wall time the tick woke, seconds late)

    async def run(self) -> None:
        """Tick until cancelled."""
        while True:
            before = time.perf_counter()
            await asyncio.sleep(self.period)
            self.stalls.append((time.time(), time.perf_counter() - before - self.period))

    def longest(self, start: float = 0.0, end: float = float("inf")) -> float:
        """The longest stall (seconds) that overlapped the wall-time span [start, end]."""
        return max((late for woke, late in self.stalls if woke >= start and woke - late <= end), default=0.0)
