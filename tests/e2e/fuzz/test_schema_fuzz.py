"""Schemathesis over every operation of the served OpenAPI schema, with a token of both roles: no 5xx.

On PostgreSQL in the sandbox and the staging configuration, and on the memory storage (services.py).
A few examples per operation by default; FUZZ_EXAMPLES=300 for the long run (README, Tests).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.e2e.fms_envs import bearer
from tests.e2e.fuzz.services import EXAMPLES, FuzzService, served_schema

schema = schemathesis.openapi.from_dict(served_schema())
STATUSES: dict[str, Counter[int]] = {}  # per configuration and operation, for the last test


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_operation_answers_5xx(case: schemathesis.Case[Any], fuzzed: FuzzService) -> None:
    response = case.call(app=fuzzed.app, base_url="http://testserver", headers={"Authorization": bearer()})
    STATUSES.setdefault(f"{fuzzed.kind} {case.operation.label}", Counter())[response.status_code] += 1
    case.validate_response(response, checks=[not_a_server_error])


def test_the_fuzzing_reached_the_handlers() -> None:
    """Not every answer was a refusal (of the token, of the input): requests got through to the work."""
    if not STATUSES:
        pytest.skip("the fuzz tests did not run (deselected)")
    answered = {label for label, counts in STATUSES.items() if any(s < 300 for s in counts)}
    assert len(answered) >= len(STATUSES) // 2, sorted(set(STATUSES) - answered)
    server_errors = sum(n for counts in STATUSES.values() for status, n in counts.items() if status >= 500)
    print(f"fuzz: {sum(map(sum, STATUSES.values()))} requests, {server_errors} server errors")
    assert server_errors == 0
