"""The suite is set up to tell the truth on a slow, busy machine, and to show what got slow."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    os.environ.get("HYPOTHESIS_PROFILE", "ci") != "ci", reason="another profile was asked for"
)
def test_hypothesis_has_no_deadline_nor_a_too_slow_health_check() -> None:
    loaded = settings.default
    assert loaded is not None
    assert loaded.deadline is None
    assert HealthCheck.too_slow in loaded.suppress_health_check


def test_make_test_prints_the_twenty_slowest_tests() -> None:
    makefile = (ROOT / "Makefile").read_text()
    unit = re.search(r"^unit:.*\n\t(.*)$", makefile, re.MULTILINE)
    assert unit is not None
    assert "--durations=20" in unit.group(1).split()
    assert re.search(r"^test:.*\bunit\b", makefile, re.MULTILINE)
