"""The BatchContract run against every adapter."""

from __future__ import annotations

import pytest

from tests.contract.batch_contract import BatchContract
from tests.contract.harness import Harness


class TestMemoryBatch(BatchContract):
    """The memory adapters."""

    @pytest.fixture
    def harness(self, memory_harness: Harness) -> Harness:
        """The memory harness."""
        return memory_harness


@pytest.mark.postgres
class TestPostgresBatch(BatchContract):
    """The Postgres adapters, on a fresh database."""

    @pytest.fixture
    def harness(self, postgres_harness: Harness) -> Harness:
        """The Postgres harness."""
        return postgres_harness
