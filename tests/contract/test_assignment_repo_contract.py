"""The AssignmentRepoContract run against every adapter."""

from __future__ import annotations

import pytest

from tests.contract.assignment_repo_contract import AssignmentRepoContract
from tests.contract.harness import Harness


class TestMemoryAssignmentRepo(AssignmentRepoContract):
    """The memory adapter."""

    @pytest.fixture
    def harness(self, memory_harness: Harness) -> Harness:
        """The memory harness."""
        return memory_harness


@pytest.mark.postgres
class TestPostgresAssignmentRepo(AssignmentRepoContract):
    """The Postgres adapter, on a fresh database."""

    @pytest.fixture
    def harness(self, postgres_harness: Harness) -> Harness:
        """The Postgres harness."""
        return postgres_harness
