"""Schemathesis over the served OpenAPI schema, with a valid token: no input makes the API answer 5xx.

Quick by default (a few examples per operation); for the long run see README (API_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import replace
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from litestar import Litestar
from schemathesis.checks import not_a_server_error

from adapters.memory.fms_gateway import MemoryFmsGateway
from application.ports import UnitOfWorkFactory
from entrypoints.config import Settings
from entrypoints.container import build_container
from entrypoints.http.app import create_app
from tests.e2e.security.conftest import SECURITY
from tests.e2e.security.tokens import bearer, mint
from tests.e2e.world import seed

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "4"))


def _app() -> Litestar:
    security = replace(SECURITY, rate_limit_fms_per_minute=0)  # 429s would hide the routes behind them
    settings = Settings(
        storage_backend="memory", fms_sandbox_latency_ms=0, demo_data=False, security=security
    )
    container = build_container(settings)
    factory: UnitOfWorkFactory = container.uow_factory()
    assert isinstance(container.fms_gateway(), MemoryFmsGateway)
    asyncio.run(seed(factory))
    return create_app(container)


schema = schemathesis.openapi.from_asgi("/schema/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_operation_answers_5xx(case: schemathesis.Case[Any]) -> None:
    token = mint(roles=["scheduler", "admin"], lifetime=3600)
    case.call_and_validate(headers=bearer(token), checks=[not_a_server_error])
