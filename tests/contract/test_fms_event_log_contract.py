"""The FmsEventLog and UnsettledOperations contracts run against every adapter."""

from __future__ import annotations

import pytest

from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from adapters.memory.unsettled import MemoryUnsettledOperations
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from adapters.postgres.unsettled import PostgresUnsettledOperations
from application.ports import UnsettledOperations
from tests.contract.fms_event_log_contract import FmsEventLogContract, UnsettledOperationsContract
from tests.contract.harness import Harness


class TestMemoryFmsEventLog(FmsEventLogContract):
    """The memory adapter."""

    @pytest.fixture
    def harness(self, memory_harness: Harness) -> Harness:
        """The memory harness."""
        return memory_harness


@pytest.mark.postgres
class TestPostgresFmsEventLog(FmsEventLogContract):
    """The Postgres adapter, on a fresh database."""

    @pytest.fixture
    def harness(self, postgres_harness: Harness) -> Harness:
        """The Postgres harness."""
        return postgres_harness


class TestMemoryUnsettledOperations(UnsettledOperationsContract):
    """The memory census."""

    @pytest.fixture
    def harness(self, memory_harness: Harness) -> Harness:
        """The memory harness."""
        return memory_harness

    @pytest.fixture
    def census(self, harness: Harness) -> UnsettledOperations:
        """The census over the harness's store."""
        assert isinstance(harness.uow_factory, MemoryUnitOfWorkFactory)
        return MemoryUnsettledOperations(harness.uow_factory)


@pytest.mark.postgres
class TestPostgresUnsettledOperations(UnsettledOperationsContract):
    """The Postgres census."""

    @pytest.fixture
    def harness(self, postgres_harness: Harness) -> Harness:
        """The Postgres harness."""
        return postgres_harness

    @pytest.fixture
    def census(self, harness: Harness) -> UnsettledOperations:
        """The census over the harness's pool."""
        assert isinstance(harness.uow_factory, PostgresUnitOfWorkFactory)
        return PostgresUnsettledOperations(harness.uow_factory.pool)
