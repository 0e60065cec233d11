"""The ReadinessProbe contract run against every adapter."""

from __future__ import annotations

import pytest

from adapters.memory.readiness import MemoryReadinessProbe
from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from adapters.postgres.readiness import PostgresReadinessProbe
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.ports import ReadinessProbe
from tests.contract.harness import Harness
from tests.contract.readiness_contract import ReadinessProbeContract


class TestMemoryReadinessProbe(ReadinessProbeContract):
    """The memory probe."""

    @pytest.fixture
    def harness(self, memory_harness: Harness) -> Harness:
        """The memory harness."""
        return memory_harness

    @pytest.fixture
    def probe(self, harness: Harness) -> ReadinessProbe:
        """The probe over the harness's store."""
        assert isinstance(harness.uow_factory, MemoryUnitOfWorkFactory)
        return MemoryReadinessProbe(harness.uow_factory)


@pytest.mark.postgres
class TestPostgresReadinessProbe(ReadinessProbeContract):
    """The Postgres probe."""

    @pytest.fixture
    def harness(self, postgres_harness: Harness) -> Harness:
        """The Postgres harness."""
        return postgres_harness

    @pytest.fixture
    def probe(self, harness: Harness) -> ReadinessProbe:
        """The probe over the harness's pool."""
        assert isinstance(harness.uow_factory, PostgresUnitOfWorkFactory)
        return PostgresReadinessProbe(harness.uow_factory.pool)
