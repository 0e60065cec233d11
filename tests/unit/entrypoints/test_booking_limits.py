"""CHAIN_MAX_SLOTS and LOAN_MAX_DAYS: defaults, bounds, and what reaches the save use-cases."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.http.app import create_app
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.limits import LimitSettings
from entrypoints.settings.service import ConfigError, Settings
from entrypoints.wiring.container import build_container
from tests.e2e.world import OFFICE, PARTNER, VIN_OK, seed


def test_defaults_and_values_are_read() -> None:
    default = Settings.from_env({})
    assert (default.limits.chain_max_slots, default.limits.loan_max_days) == (200, 120)
    s = Settings.from_env({"CHAIN_MAX_SLOTS": " 3 ", "LOAN_MAX_DAYS": "14"})
    assert (s.limits.chain_max_slots, s.limits.loan_max_days) == (3, 14)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CHAIN_MAX_SLOTS", "0", "CHAIN_MAX_SLOTS must be between 1 and 5000, got 0"),
        ("LOAN_MAX_DAYS", "3661", "LOAN_MAX_DAYS must be between 1 and 3660, got 3661"),
        ("LOAN_MAX_DAYS", "week", "LOAN_MAX_DAYS must be an integer, got 'week'"),
    ],
)
def test_bad_values_are_refused_clearly(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env({name: value})


async def test_the_configured_limits_are_the_ones_the_routes_apply() -> None:
    container = build_container(
        Settings(
            storage_backend="memory",
            demo_data=False,
            fms=FmsSettings(sandbox="memory"),
            limits=LimitSettings(chain_max_slots=2, loan_max_days=10),
        )
    )
    await seed(container.uow_factory())
    slot = {"vin": VIN_OK, "start_date": "2027-01-04", "end_date": "2027-01-14"}
    body = {"person_id": PARTNER, "office": OFFICE, "chain": [slot] * 3}
    async with AsyncTestClient(app=create_app(container)) as client:
        r = await client.post("/api/chain-builder/save-chain", json=body)
        assert r.status_code == 413, r.text
        assert "3, at most 2" in r.json()["detail"]
        one = {"vin": VIN_OK, "person_id": PARTNER, "office": OFFICE, "start_day": "2027-01-04"}
        r = await client.post("/api/calendar/schedule-assignment", json={**one, "end_day": "2027-01-15"})
        assert r.status_code == 422, r.text
        assert "at most 10 days long" in r.json()["detail"]
        r = await client.post("/api/calendar/schedule-assignment", json={**one, "end_day": "2027-01-14"})
        assert r.status_code == 201, r.text
