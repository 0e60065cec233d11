"""No test module reads the clock when imported: a slow suite runs tests minutes after collecting them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.import_time_clock import find_clock_at_import

TESTS = Path(__file__).resolve().parents[1]


def test_no_test_module_reads_the_clock_at_import_time() -> None:
    found = find_clock_at_import(sorted(TESTS.rglob("*.py")), TESTS)
    assert not found, "take the time inside the test, or from an injected clock:\n" + "\n".join(
        map(str, found)
    )


def check(tmp_path: Path, files: dict[str, str]) -> list[str]:
    """Run the check over made-up modules of a `tests` package; the clock calls it reports."""
    root = tmp_path / "tests"
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    return [finding.call for finding in find_clock_at_import(sorted(root.rglob("*.py")), root)]


@pytest.mark.parametrize(
    ("source", "call"),
    [
        ("import time\nNOW = int(time.time())\n", "time.time"),
        ("from time import time as now\nX = now()\n", "time.time"),
        ("import datetime as dt\nTODAY = dt.date.today()\n", "datetime.date.today"),
        ("from datetime import datetime\nclass C:\n    at = datetime.now()\n", "datetime.datetime.now"),
        (
            "import pytest, time\n@pytest.mark.parametrize('x', [time.time() + 600])\ndef test(x): ...\n",
            "time.time",
        ),
        ("import time\ndef f(at=time.monotonic()): ...\n", "time.monotonic"),
    ],
)
def test_each_way_of_reading_the_clock_at_import_is_found(tmp_path: Path, source: str, call: str) -> None:
    assert check(tmp_path, {"test_x.py": source}) == [call]


def test_a_helper_that_reads_the_clock_is_followed_into_its_module(tmp_path: Path) -> None:
    helper = """
        import time
        def _now():
            return int(time.time())
        def claims(**changes):
            return {"iat": _now(), **changes}
    """
    test = """
        import pytest
        from tests.support import claims
        @pytest.mark.parametrize("body", [claims(exp=1)])
        def test_x(body): ...
    """
    assert check(tmp_path, {"support.py": helper, "unit/test_x.py": test}) == [
        "tests.support.claims -> time.time"
    ]


def test_clock_reads_inside_tests_fixtures_and_lambdas_are_fine(tmp_path: Path) -> None:
    source = """
        import time
        import pytest
        from datetime import date
        @pytest.fixture
        def now():
            return time.time()
        def test_x():
            assert date.today()
        LATER = lambda: time.time() + 5
        def later_maker():
            return lambda: time.time()
        MAKE_LATER = later_maker()
        class TestY:
            def test_z(self):
                time.time()
        if __name__ == "__main__":
            print(time.time())
    """
    assert check(tmp_path, {"test_x.py": source}) == []
