"""The ReconciliationRepoContract against the memory and PostgreSQL adapters."""

from __future__ import annotations

import pytest

from tests.contract.harness import Harness
from tests.contract.reconciliation_repo_contract import ReconciliationRepoContract


class TestMemoryReconciliationRepo(ReconciliationRepoContract):
    """The memory adapter."""

    @pytest.fixture
    def harness(self, memory_harness: Harness) -> Harness:
        """The memory harness."""
        return memory_harness


@pytest.mark.postgres
class TestPostgresReconciliationRepo(ReconciliationRepoContract):
    """The Postgres adapter, on a fresh database."""

    @pytest.fixture
    def harness(self, postgres_harness: Harness) -> Harness:
        """The Postgres harness."""
        return postgres_harness
