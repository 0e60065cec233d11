"""The embedded database's data dir must be reachable by PostgreSQL's own user."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from entrypoints.cli.main import reachable_data_dir


def test_a_data_dir_under_root_is_moved_when_running_as_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    moved = reachable_data_dir(Path("/root/checkout/.data"))
    assert moved.is_relative_to("/var/tmp/media-scheduler")
    assert moved == reachable_data_dir(Path("/root/checkout/.data"))  # stable across starts
    assert moved != reachable_data_dir(Path("/root/other/.data"))


def test_other_data_dirs_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert reachable_data_dir(Path("/tmp/x/.data")) == Path("/tmp/x/.data")
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert reachable_data_dir(Path("/root/checkout/.data")) == Path("/root/checkout/.data")
