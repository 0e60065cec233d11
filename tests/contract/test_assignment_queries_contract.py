"""The AssignmentQueriesContract run against every adapter."""

from __future__ import annotations

import pytest

from tests.contract.assignment_queries_contract import AssignmentQueriesContract
from tests.contract.harness import Harness


class TestMemoryAssignmentQueries(AssignmentQueriesContract):
    """The memory adapter."""

    @pytest.fixture
    def harness(self, memory_harness: Harness) -> Harness:
        """The memory harness."""
        return memory_harness


@pytest.mark.postgres
class TestPostgresAssignmentQueries(AssignmentQueriesContract):
    """The Postgres adapter, on a fresh database."""

    @pytest.fixture
    def harness(self, postgres_harness: Harness) -> Harness:
        """The Postgres harness."""
        return postgres_harness
