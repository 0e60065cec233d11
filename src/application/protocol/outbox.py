"""Answers FMS gave that could not be stored yet: kept in this process until the database takes them.

An answer is never dropped: FMS acted (or refused), and once FMS has answered no lookup is needed, but
only the database can tell the other processes. While any answer waits here, this process sends no
new call (calls.py): the storage that failed must first take what it is owed. The heartbeat stores
them, retrying with backoff (entrypoints/workers/hold_heartbeat.py), and a stop stores what it can.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from application.protocol.records import CallOutcome


class Outbox:
    """This process's answered but unstored FMS calls, oldest first."""

    def __init__(self) -> None:
        self._kept: list[CallOutcome] = []

    def __len__(self) -> int:
        return len(self._kept)

    def __iter__(self) -> Iterator[CallOutcome]:
        return iter(list(self._kept))

    def keep(self, outcomes: Iterable[CallOutcome]) -> None:
        """Keep answers the database did not take."""
        self._kept.extend(outcomes)

    def owed(self) -> list[CallOutcome]:
        """Every kept answer, oldest first; they stay kept until forget() (so that the outbox never looks
        empty while they are being stored)."""
        return list(self._kept)

    def forget(self, stored: Iterable[CallOutcome]) -> None:
        """These answers are stored now."""
        done = {id(outcome) for outcome in stored}
        self._kept = [outcome for outcome in self._kept if id(outcome) not in done]
