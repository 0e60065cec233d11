"""The sweep that finds clashes of new bookings (domain/overlaps.py) against the obvious pairwise check."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.errors import Booking
from domain.overlaps import find_clashes
from domain.values import DayRange

DAY0 = date(2027, 1, 4)
VINS = ["VIN-A", "VIN-B", "VIN-C"]


def booking(vin: str, start: int, nights: int, holder: str) -> Booking:
    """A booking of `nights` nights from DAY0 + start."""
    return Booking(vin, DAY0 + timedelta(days=start), DAY0 + timedelta(days=start + nights), holder)


def bookings(prefix: str, *, min_nights: int) -> st.SearchStrategy[list[Booking]]:
    """Bookings over a few vehicles and a short span (so that many clash)."""
    one = st.builds(
        lambda i, vin, start, nights: booking(vin, start, nights, f"{prefix}{i}"),
        st.integers(0, 10**6),
        st.sampled_from(VINS),
        st.integers(0, 40),
        st.integers(min_nights, 15),
    )
    return st.lists(one, max_size=30)


def overlap(a: Booking, b: Booking) -> bool:
    return a.vin == b.vin and DayRange(a.start_day, a.end_day).overlaps(DayRange(b.start_day, b.end_day))


def brute_force(new: list[Booking], existing: list[Booking]) -> set[tuple[int, int, str]]:
    """Every clash as (slot, index of the other, 'old' | 'new'), by comparing every pair."""
    found = {(i, j, "old") for i, a in enumerate(new) for j, b in enumerate(existing) if overlap(a, b)}
    found |= {(i, j, "new") for i, a in enumerate(new) for j, b in enumerate(new[:i]) if overlap(a, b)}
    return found


def origin(other: Booking, new: list[Booking], existing: list[Booking]) -> tuple[int, str]:
    """Which input booking a listed clash names (by identity: equal bookings may repeat)."""
    for kind, candidates in (("old", existing), ("new", new)):
        for j, b in enumerate(candidates):
            if b is other:
                return j, kind
    raise AssertionError(f"{other} is not an input booking")


@given(bookings("new", min_nights=1), bookings("old", min_nights=0), st.integers(0, 60))
def test_the_sweep_counts_every_clash_and_lists_real_ones_up_to_the_limit(
    new: list[Booking], existing: list[Booking], limit: int
) -> None:
    expected = brute_force(new, existing)
    report = find_clashes(new, existing, limit=limit)
    assert report.total == len(expected)
    assert len(report.listed) == min(limit, len(expected))
    listed = {(clash.slot, *origin(clash.other, new, existing)) for clash in report.listed}
    assert len(listed) == len(report.listed)  # no pair listed twice
    assert listed <= expected


def test_touching_ends_are_a_hand_over_not_a_clash() -> None:
    new = [booking("VIN-A", 0, 7, "first"), booking("VIN-A", 7, 7, "second")]
    existing = [booking("VIN-A", 14, 7, "next loan"), booking("VIN-B", 0, 30, "other vehicle")]
    assert find_clashes(new, existing).total == 0


def test_a_chain_where_every_slot_clashes_is_counted_whole_and_listed_up_to_50() -> None:
    new = [booking("VIN-A", 0, 7, f"slot {i}") for i in range(200)]
    existing = [booking("VIN-A", 3, 2, "FMS activity")]
    report = find_clashes(new, existing)
    assert report.total == 200 * 199 // 2 + 200
    assert len(report.listed) == 50


def test_the_later_slot_clashes_with_the_earlier_one() -> None:
    new = [booking("VIN-A", 5, 7, "slot 1"), booking("VIN-A", 0, 7, "slot 2")]
    (clash,) = find_clashes(new, []).listed
    assert (clash.slot, clash.other.holder) == (1, "slot 1")
