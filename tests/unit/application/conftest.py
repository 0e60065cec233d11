"""Fixtures for use-case tests: a fresh, seeded in-memory world per test."""

from __future__ import annotations

import pytest

from tests.unit.application.scheduler_world import World


@pytest.fixture
async def world() -> World:
    """Memory adapters seeded with the reference data of scheduler_world."""
    return await World().seed()
