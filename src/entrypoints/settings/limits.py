"""How much one call may ask for: bulk size and FMS concurrency, chain size, loan length."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from entrypoints.settings.env import integer


@dataclass(frozen=True)
class LimitSettings:
    """BULK_MAX_ITEMS, FMS_MAX_CONCURRENCY, CHAIN_MAX_SLOTS and LOAN_MAX_DAYS."""

    bulk_max_items: int = 500  # assignment ids accepted by one bulk call
    fms_max_concurrency: int = 8  # FMS calls under way at once in a bulk operation
    chain_max_slots: int = 200  # slots accepted by one chain or schedule save
    loan_max_days: int = 120  # longest loan a save accepts


def limits_from_env(env: Mapping[str, str]) -> LimitSettings:
    """Read and check the limits."""
    return LimitSettings(
        bulk_max_items=integer(env, "BULK_MAX_ITEMS", 500, low=1, high=10_000),
        # At most the HTTP client's pool (20 connections): more would only wait for a connection.
        fms_max_concurrency=integer(env, "FMS_MAX_CONCURRENCY", 8, low=1, high=20),
        chain_max_slots=integer(env, "CHAIN_MAX_SLOTS", 200, low=1, high=5_000),
        loan_max_days=integer(env, "LOAN_MAX_DAYS", 120, low=1, high=3_660),
    )
