"""A simulator with a state file behaves like a real FMS across restarts: what it held, it still holds,
and ids never repeat (not after a restart, a reset, or between two simulators sharing the file)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from fms_simulator.state import SimState
from fms_simulator.store import SimStore
from fms_simulator.validation import NewRequest
from fms_simulator.world import SimVehicle, World
from tests.fms_support import TODAY

VEHICLE = SimVehicle(-1, 123_456, "1HGCM82633A004352", 2026, "Honda", "Accord", "Los Angeles", "Blue")


def new(notes: str, vehicles: int = 1) -> NewRequest:
    """A checked create for the registered vehicle (twice when vehicles=2)."""
    lines = tuple((VEHICLE.vehicle_id or 0, f"line {n}") for n in range(vehicles))
    return NewRequest(1949, date(2026, 12, 1), date(2026, 12, 8), lines, {"requestor_notes": notes}, {})


def simulator(path: Path, first_id: int = 4000) -> SimState:
    """A simulator keeping its state in path."""
    return SimState(World(seed=7, scale=0.02, today=TODAY), first_id=first_id, store=SimStore(path))


def test_a_second_simulator_on_the_file_holds_what_the_first_held(tmp_path: Path) -> None:
    path = tmp_path / "fms" / "state.sqlite3"
    first = simulator(path)
    first.register([VEHICLE])
    kept, approved, deleted = (first.create(new(f"ref-{n}", vehicles=2)) for n in range(3))
    activity = first.approve(approved.id)
    first.delete(deleted.id)
    first.close()

    again = simulator(path, first_id=1)  # a fresh start's first_id does not rewind a kept sequence
    assert set(again.requests) == {kept.id, approved.id}
    assert again.requests[approved.id].status == "approved"
    assert again.requests[approved.id].activity_id == activity
    assert again.as_json(again.requests[kept.id]) == first.as_json(kept)  # the VIN too: vehicle kept
    assert again.vehicle(123_456) == VEHICLE
    assert [r.new.texts["requestor_notes"] for r in again.find("ref-0")] == ["ref-0"]
    later = again.create(new("ref-3", vehicles=2))
    assert later.id > deleted.id  # the deleted request's id is not handed out again
    assert set(later.line_ids).isdisjoint({line for r in (kept, approved, deleted) for line in r.line_ids})
    assert again.approve(later.id) > activity
    again.close()


def test_a_reset_forgets_the_requests_but_not_the_ids(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    sim = simulator(path)
    before = sim.create(new("ref-1"))
    sim.reset()
    after = sim.create(new("ref-2"))
    sim.close()
    again = simulator(path)
    assert set(again.requests) == {after.id}
    assert after.id > before.id
    assert again.create(new("ref-3")).id > after.id
    again.close()


def test_two_simulators_sharing_the_file_never_hand_out_one_id_twice(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    one, two = simulator(path), simulator(path)
    ids = [sim.create(new(f"ref-{n}")).id for n in range(5) for sim in (one, two)]
    assert len(set(ids)) == len(ids)
    one.close()
    two.close()
    third = simulator(path)
    assert len(third.requests) == 10
    third.close()


def test_ids_already_held_stay_taken_even_when_the_sequence_lags(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    sim = simulator(path)
    held = sim.create(new("ref-1"))
    sim.close()
    with sqlite3.connect(path) as db:  # a file whose sequence was rewound (copied, edited by hand)
        db.execute("UPDATE sequences SET next = 1")
    db.close()
    again = simulator(path)
    assert again.create(new("ref-2")).id > held.id
    again.close()


def test_without_a_store_nothing_outlives_the_simulator(tmp_path: Path) -> None:
    sim = SimState(World(seed=7, scale=0.02, today=TODAY), first_id=4000)
    assert sim.create(new("ref-1")).id == 4000
    sim.close()
    assert list(tmp_path.iterdir()) == []


def test_a_state_path_that_is_not_a_database_fails_loudly(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_text("not a database, but a file someone put here")
    with pytest.raises(sqlite3.DatabaseError):
        SimStore(path)
