"""The ReportLoaderContract run against every adapter (verified fakes)."""

from __future__ import annotations

import pytest

from adapters.memory.report_loader import MemoryReportLoader
from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from adapters.postgres.db import PgPool
from adapters.postgres.report_loader import PostgresReportLoader
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from tests.contract.report_loader_contract import LoaderHarness, ReportLoaderContract


class TestMemoryReportLoader(ReportLoaderContract):
    """The memory adapter."""

    @pytest.fixture
    def harness(self) -> LoaderHarness:
        """A loader on a fresh store."""
        factory = MemoryUnitOfWorkFactory()
        return LoaderHarness(MemoryReportLoader(factory.store), factory)


@pytest.mark.postgres
class TestPostgresReportLoader(ReportLoaderContract):
    """The Postgres adapter, on a fresh database."""

    @pytest.fixture
    def harness(self, pg_pool: PgPool) -> LoaderHarness:
        """A loader on the test's database."""
        return LoaderHarness(PostgresReportLoader(pg_pool), PostgresUnitOfWorkFactory(pg_pool))
