"""The client side of bench/chain_save.py, run in a process of its own so that its work never shows as
a stall of the service's event loop. Prints one JSON document of figures on stdout.

    .venv/bin/python bench/chain_drive.py URL VIN PERSON OFFICE [--repeat N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from datetime import date, timedelta
from typing import Any

import httpx

SAVE_CHAIN = "/api/chain-builder/save-chain"


def chain(vin: str, person: int, office: str, slots: list[tuple[date, date]]) -> dict[str, Any]:
    """A save-chain body."""
    chain = [{"vin": vin, "start_date": s.isoformat(), "end_date": e.isoformat()} for s, e in slots]
    return {"person_id": person, "office": office, "chain": chain}


def same_week(n: int, start: date) -> list[tuple[date, date]]:
    """n slots on the same seven days: every one clashes with every other one."""
    return [(start, start + timedelta(days=7))] * n


def back_to_back(n: int, start: date) -> list[tuple[date, date]]:
    """n week-long slots handing the vehicle over each Monday: no clash."""
    return [(start + timedelta(days=7 * i), start + timedelta(days=7 * i + 7)) for i in range(n)]


def largest_accepted(vin: str, person: int, office: str, week: date, limit: int = 1_000_000) -> int:
    """The most clashing slots whose body stays under MAX_BODY_BYTES (as httpx encodes it, compact)."""
    one, two = (len(encoded(chain(vin, person, office, same_week(n, week)))) for n in (1, 2))
    per_slot = two - one
    return (limit - 200) // per_slot


class HealthPoller:
    """GET /healthz every 10 ms on its own connection, recording each latency with the time it started."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.samples: list[tuple[float, float]] = []  # (wall time, seconds)
        self._stop = asyncio.Event()

    async def run(self) -> None:
        """Poll until stopped."""
        async with httpx.AsyncClient(base_url=self.url) as client:
            while not self._stop.is_set():
                wall, started = time.time(), time.perf_counter()
                (await client.get("/healthz")).raise_for_status()
                self.samples.append((wall, time.perf_counter() - started))
                await asyncio.sleep(0.01)

    def stop(self) -> None:
        """Finish after the poll under way."""
        self._stop.set()


def summary(seconds: list[float]) -> dict[str, float]:
    """Median, p99 and max in milliseconds."""
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(p99 * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def encoded(body: Any) -> bytes:
    """The JSON of a body, compact (as httpx encodes it)."""
    return json.dumps(body, separators=(",", ":")).encode()


async def timed(client: httpx.AsyncClient, body: bytes, expect: int) -> tuple[float, httpx.Response]:
    """POST an encoded chain; its wall time and answer (the status must be the expected one)."""
    started = time.perf_counter()
    headers = {"content-type": "application/json"}
    response = await client.post(SAVE_CHAIN, content=body, headers=headers)
    elapsed = time.perf_counter() - started
    if response.status_code != expect:
        raise RuntimeError(f"expected {expect}, got {response.status_code}: {response.text[:300]}")
    return elapsed, response


def phase_bodies(vin: str, person: int, office: str, repeat: int) -> dict[str, tuple[list[bytes], int]]:
    """Every body of every phase, encoded up front so that the driver never stalls while measuring."""
    week, first = date(2030, 1, 7), date(1975, 1, 6)  # no-clash chains: 201 weeks each, before `week`
    largest = largest_accepted(vin, person, office, week)

    def clashing(n: int) -> list[bytes]:
        return [encoded(chain(vin, person, office, same_week(n, week)))] * repeat

    free = [back_to_back(200, first + timedelta(days=7 * 201 * i)) for i in range(repeat)]
    return {
        "first save: 1 slot -> 200": (clashing(1)[:1], 200),  # what every later slot meets
        "200 slots, all clashing -> 409": (clashing(200), 409),
        "201 slots -> 413": (clashing(201), 413),
        f"{largest} slots (~1 MB body, MAX_BODY_BYTES) -> 413": (clashing(largest), 413),
        "200 slots, no clash -> 200 (saved)": ([encoded(chain(vin, person, office, f)) for f in free], 200),
    }


async def drive(url: str, vin: str, person: int, office: str, repeat: int) -> dict[str, Any]:
    """Every phase in turn, with /healthz polled throughout; phases are stamped with wall times."""
    out: dict[str, Any] = {"phases": {}}
    phases = phase_bodies(vin, person, office, repeat)
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        for _ in range(5):  # warm-up: connections, first requests
            (await client.get("/healthz")).raise_for_status()
            (await client.get("/api/calendar/vehicles", params={"office": office})).raise_for_status()
        out["measured_from"] = time.time()
        idle = HealthPoller(url)
        task = asyncio.create_task(idle.run())
        await asyncio.sleep(1.0)
        idle.stop()
        await task
        out["healthz_idle"] = summary([s for _, s in idle.samples])

        poller = HealthPoller(url)
        polling = asyncio.create_task(poller.run())
        for name, (bodies, expect) in phases.items():
            started_wall, times = time.time(), []
            for body in bodies:
                elapsed, response = await timed(client, body, expect)
                times.append(elapsed)
            out["phases"][name] = {**summary(times), "wall": [started_wall, time.time()]}
            out["phases"][name] |= {"body_bytes": len(bodies[0]), "answer_bytes": len(response.content)}
            if expect == 409:
                out["conflict_count"] = response.json()["conflict_count"]
                out["conflicts_listed"] = len(response.json()["conflicts"])
        poller.stop()
        await polling
        out["healthz_under_load"] = summary([s for _, s in poller.samples])
    return out


def main() -> None:
    """Parse the arguments, drive, print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("vin")
    parser.add_argument("person", type=int)
    parser.add_argument("office")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    if not 1 <= args.repeat <= 12:
        parser.error("--repeat is 1 to 12 (the saved chains must fit between 1975 and 2030)")
    print(json.dumps(asyncio.run(drive(args.url, args.vin, args.person, args.office, args.repeat))))


if __name__ == "__main__":
    main()
