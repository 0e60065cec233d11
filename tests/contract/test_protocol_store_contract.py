"""The ProtocolStoreContract run against every adapter."""

from __future__ import annotations

import pytest

from tests.contract.harness import Harness
from tests.contract.protocol_store_contract import ProtocolStoreContract


class TestMemoryProtocolStore(ProtocolStoreContract):
    """The memory adapters."""

    @pytest.fixture
    def harness(self, memory_harness: Harness) -> Harness:
        """The memory harness."""
        return memory_harness


@pytest.mark.postgres
class TestPostgresProtocolStore(ProtocolStoreContract):
    """The Postgres adapters, on a fresh database."""

    @pytest.fixture
    def harness(self, postgres_harness: Harness) -> Harness:
        """The Postgres harness."""
        return postgres_harness
