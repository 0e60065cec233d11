"""Which new bookings clash, in O(n log n): one sort and a sweep per vehicle, however many clashes.

A chain of n slots over a vehicle with m existing bookings can have n*(n+m) clashing pairs; they are
all counted (the count of a sweep step is the size of the active sets) but only the first `limit` are
listed, so neither the time nor the answer grows with the square of the input.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from domain.errors import MAX_LISTED_CONFLICTS, Booking

_NEW, _OLD = 0, 1


@dataclass(frozen=True)
class Clash:
    """New booking `slot` (its index in the input) overlaps `other`: a booking already held, or an
    earlier new booking (earlier in the input) of the same vehicle."""

    slot: int
    other: Booking


@dataclass(frozen=True)
class ClashReport:
    """The clashes found: every one counted in `total`, the first ones (by date) listed."""

    listed: list[Clash] = field(default_factory=list)
    total: int = 0


@dataclass
class _Sweep:
    new: Sequence[Booking]
    existing: Sequence[Booking]
    limit: int
    listed: list[Clash] = field(default_factory=list)
    total: int = 0

    def _list(self, slot: int, other: Booking) -> bool:
        """Record one listed clash; False once the list is full."""
        if len(self.listed) >= self.limit:
            return False
        self.listed.append(Clash(slot, other))
        return True

    def _pair_of_new(self, a: int, b: int) -> bool:
        # The later slot of the input clashes with the earlier one (as the save reads them in order).
        later, earlier = max(a, b), min(a, b)
        return self._list(later, self.new[earlier])

    def vehicle(self, new_ids: list[int], old_ids: list[int]) -> None:
        """Sweep one vehicle's bookings by start day, keeping the bookings still under way."""
        events = [(self.new[i].start_day, self.new[i].end_day, _NEW, i) for i in new_ids]
        events += [(self.existing[i].start_day, self.existing[i].end_day, _OLD, i) for i in old_ids]
        events.sort()
        active: tuple[list[tuple[date, int]], list[tuple[date, int]]] = ([], [])
        for start, end, kind, index in events:
            for heap in active:
                while heap and heap[0][0] <= start:  # ended on or before this start: a hand-over
                    heapq.heappop(heap)
            active_new, active_old = active
            if kind == _NEW:
                self.total += len(active_new) + len(active_old)
                for _, old in active_old:
                    if not self._list(index, self.existing[old]):
                        break
                for _, other in active_new:
                    if not self._pair_of_new(index, other):
                        break
            else:
                self.total += len(active_new)
                for _, slot in active_new:
                    if not self._list(slot, self.existing[index]):
                        break
            heapq.heappush(active[kind], (end, index))


def find_clashes(
    new: Sequence[Booking], existing: Sequence[Booking], *, limit: int = MAX_LISTED_CONFLICTS
) -> ClashReport:
    """Clashes of the new bookings with existing ones and with each other (touching ends are allowed).

    Existing bookings never clash with each other here: they are already held. Vehicles are matched by
    `vin`. O((n + m) log(n + m)) whatever the number of clashes; at most `limit` are listed.
    """
    new_by_vin: dict[str, list[int]] = defaultdict(list)
    for i, booking in enumerate(new):
        new_by_vin[booking.vin].append(i)
    old_by_vin: dict[str, list[int]] = defaultdict(list)
    for i, booking in enumerate(existing):
        if booking.vin in new_by_vin:
            old_by_vin[booking.vin].append(i)
    sweep = _Sweep(new, existing, limit)
    for vin in sorted(new_by_vin):
        sweep.vehicle(new_by_vin[vin], old_by_vin.get(vin, []))
    return ClashReport(listed=sweep.listed, total=sweep.total)
