"""End to end: overlapping chain saves sent at once; one is saved, the other answers 409 with each clash."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.e2e.conftest import Env
from tests.e2e.world import ACTIVITY_ID, OFFICE, PARTNER, VIN_BUSY, VIN_OK, Client

SAVE_CHAIN = "/api/chain-builder/save-chain"


def chain_body(*slots: tuple[str, str, str]) -> dict[str, Any]:
    """A save-chain body for the partner with (vin, start, end) slots."""
    return {
        "person_id": PARTNER,
        "partner_name": "Rivera, Alex",
        "office": OFFICE,
        "chain": [{"vin": v, "start_date": s, "end_date": e, "make": "Audi"} for v, s, e in slots],
    }


async def test_two_overlapping_chains_at_once_one_wins_and_the_409_lists_each_clash(app_env: Env) -> None:
    client, _, _ = app_env
    first = chain_body((VIN_OK, "2027-02-01", "2027-02-08"), (VIN_BUSY, "2027-02-08", "2027-02-15"))
    second = chain_body((VIN_BUSY, "2027-02-10", "2027-02-17"), (VIN_OK, "2027-02-03", "2027-02-06"))

    answers = await asyncio.gather(client.post(SAVE_CHAIN, json=first), client.post(SAVE_CHAIN, json=second))

    assert sorted(r.status_code for r in answers) == [200, 409], [r.text for r in answers]
    won = next(r for r in answers if r.status_code == 200).json()
    refused = next(r for r in answers if r.status_code == 409).json()
    won_ids = won["assignment_ids"]
    assert len(won_ids) == 2
    clashes = refused["conflicts"]
    assert {c["vin"] for c in clashes} == {VIN_OK, VIN_BUSY}
    for clash in clashes:
        assert clash["assignment_id"] in won_ids
        assert clash["held_by"] == f"assignment {clash['assignment_id']} (Rivera, Alex, manual)"
        assert clash["start_date"] < clash["end_date"]
    winner_slots = first if answers[0].status_code == 200 else second
    assert {(c["vin"], c["start_date"], c["end_date"]) for c in clashes} == {
        (s["vin"], s["start_date"], s["end_date"]) for s in winner_slots["chain"]
    }
    assert "already booked" in refused["detail"]


async def test_a_chain_over_an_fms_activity_names_it(client: Client) -> None:
    r = await client.post(SAVE_CHAIN, json=chain_body((VIN_BUSY, "2026-12-05", "2026-12-10")))
    assert r.status_code == 409
    (clash,) = r.json()["conflicts"]
    assert clash == {
        "vin": VIN_BUSY,
        "start_date": "2026-12-01",
        "end_date": "2026-12-08",
        "held_by": f"FMS activity {ACTIVITY_ID} (Rivera, Alex)",
        "assignment_id": None,
        "activity_id": ACTIVITY_ID,
        "person_id": PARTNER,
        "status": "active",
        "fms_start_date": "2026-12-01",
        "fms_end_date": "2026-12-08",
    }
