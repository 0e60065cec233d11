"""A fault with a probability hits about that share of matching calls, and keeps doing so."""

from __future__ import annotations

import random

from adapters.fms_faults import FmsFault
from fms_simulator.faults import FaultPlan, FaultRule


def test_probable_faults_hit_their_share_and_last() -> None:
    plan = FaultPlan(rng=random.Random(7))
    plan.rules.append(FaultRule(FmsFault.ERROR, 503, remaining=None, probability=0.10))
    plan.rules.append(FaultRule(FmsFault.COMMIT_THEN_FAIL, 500, remaining=None, probability=0.05))
    taken = [plan.take("create") for _ in range(4000)]
    errors = sum(1 for r in taken if r is not None and r.mode is FmsFault.ERROR)
    commits = sum(1 for r in taken if r is not None and r.mode is FmsFault.COMMIT_THEN_FAIL)
    assert 300 < errors < 500  # ~10 %
    assert 120 < commits < 250  # ~5 % of the other 90 %
    assert len(plan.rules) == 2


def test_a_counted_probable_fault_counts_only_its_hits() -> None:
    plan = FaultPlan(rng=random.Random(1))
    plan.rules.append(FaultRule(FmsFault.DROP, remaining=3, probability=0.5))
    hits = [plan.take("delete") for _ in range(100)]
    assert sum(1 for h in hits if h is not None) == 3
    assert plan.rules == []
