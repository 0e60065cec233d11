"""SimStore: what a simulator must remember across restarts, in one SQLite file.

Requests (with their approvals), registered vehicles and the id sequences. Every change is written
through at once (WAL, synchronous=NORMAL: it survives a killed process). Ids are taken from the
file's sequences in a write transaction, so they never repeat: not after a restart, not between two
processes sharing the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import msgspec

T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS sequences (name TEXT PRIMARY KEY, next INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS requests (id INTEGER PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS vehicles (vehicle_id INTEGER PRIMARY KEY, body BLOB NOT NULL);
"""


class SimStore:
    """One simulator's durable state in a SQLite file (created on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def __repr__(self) -> str:
        return f"SimStore({str(self.path)!r})"

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so that sequences never race."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def start_sequences(self, starts: Mapping[str, int]) -> None:
        """Create the sequences a fresh file lacks; existing ones keep their value."""
        with self._writing() as db:
            db.executemany("INSERT OR IGNORE INTO sequences VALUES (?, ?)", starts.items())

    def raise_sequence(self, name: str, above: int) -> None:
        """Make sure the sequence's next value is above `above` (ids already in use)."""
        with self._writing() as db:
            db.execute("UPDATE sequences SET next = max(next, ?) WHERE name = ?", (above + 1, name))

    def take(self, name: str, count: int = 1) -> int:
        """The first of `count` fresh values of the sequence, never handed out before."""
        with self._writing() as db:
            row = db.execute("SELECT next FROM sequences WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise KeyError(f"no sequence {name!r} in {self.path}")
            db.execute("UPDATE sequences SET next = next + ? WHERE name = ?", (count, name))
        first: int = row[0]
        return first

    def save_request(self, request_id: int, request: Any) -> None:
        """Write a request (new or changed)."""
        with self._writing() as db:
            db.execute(
                "INSERT OR REPLACE INTO requests VALUES (?, ?)", (request_id, msgspec.json.encode(request))
            )

    def remove_request(self, request_id: int) -> None:
        """Forget a request."""
        with self._writing() as db:
            db.execute("DELETE FROM requests WHERE id = ?", (request_id,))

    def clear_requests(self) -> None:
        """Forget every request; the sequences go on."""
        with self._writing() as db:
            db.execute("DELETE FROM requests")

    def save_vehicles(self, vehicles: Iterable[tuple[int, Any]]) -> None:
        """Write registered vehicles, (vehicle_id, vehicle) pairs, in one transaction."""
        rows = [(vehicle_id, msgspec.json.encode(v)) for vehicle_id, v in vehicles]
        with self._writing() as db:
            db.executemany("INSERT OR REPLACE INTO vehicles VALUES (?, ?)", rows)

    def requests(self, kind: type[T]) -> dict[int, T]:
        """Every stored request, decoded as `kind`, by id."""
        rows = self._db.execute("SELECT id, body FROM requests ORDER BY id").fetchall()
        return {row[0]: msgspec.json.decode(row[1], type=kind) for row in rows}

    def vehicles(self, kind: type[T]) -> dict[int, T]:
        """Every registered vehicle, decoded as `kind`, by vehicle id."""
        rows = self._db.execute("SELECT vehicle_id, body FROM vehicles ORDER BY vehicle_id").fetchall()
        return {row[0]: msgspec.json.decode(row[1], type=kind) for row in rows}

    def close(self) -> None:
        """Close the file (every change is already written)."""
        self._db.close()
