"""The HoldingQueriesContract run against every adapter."""

from __future__ import annotations

import pytest

from tests.contract.harness import Harness
from tests.contract.holding_queries_contract import HoldingQueriesContract


class TestMemoryHoldingQueries(HoldingQueriesContract):
    """The memory adapter."""

    @pytest.fixture
    def harness(self, memory_harness: Harness) -> Harness:
        """The memory harness."""
        return memory_harness


@pytest.mark.postgres
class TestPostgresHoldingQueries(HoldingQueriesContract):
    """The Postgres adapter, on a fresh database."""

    @pytest.fixture
    def harness(self, postgres_harness: Harness) -> Harness:
        """The Postgres harness."""
        return postgres_harness
