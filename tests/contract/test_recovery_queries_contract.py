"""The RecoveryQueriesContract run against every adapter."""

from __future__ import annotations

import pytest

from tests.contract.harness import Harness
from tests.contract.recovery_queries_contract import RecoveryQueriesContract


class TestMemoryRecoveryQueries(RecoveryQueriesContract):
    """The memory adapters."""

    @pytest.fixture
    def harness(self, memory_harness: Harness) -> Harness:
        """The memory harness."""
        return memory_harness


@pytest.mark.postgres
class TestPostgresRecoveryQueries(RecoveryQueriesContract):
    """The Postgres adapters, on a fresh database."""

    @pytest.fixture
    def harness(self, postgres_harness: Harness) -> Harness:
        """The Postgres harness."""
        return postgres_harness
