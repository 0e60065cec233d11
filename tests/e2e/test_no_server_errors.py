"""No input, however malformed, makes the API answer 500 (hypothesis-generated requests)."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import TestClient

from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from entrypoints.http.app import create_app
from entrypoints.settings.fms import FmsSettings
from entrypoints.settings.service import Settings
from entrypoints.wiring.container import build_container
from tests.e2e.world import OFFICE, PARTNER, VIN_OK, seed

ROUTES = [
    ("PATCH", "/api/calendar/change-assignment-status/{id}"),
    ("POST", "/api/fms/create-vehicle-request/{id}"),
    ("DELETE", "/api/fms/delete-vehicle-request/{id}"),
    ("DELETE", "/api/calendar/delete-assignment/{id}"),
    ("GET", "/api/calendar/activity"),
    ("GET", "/api/calendar/vehicles"),
    ("GET", "/api/calendar/media-partners"),
    ("GET", "/api/calendar/partner-tiers"),
    ("GET", "/api/chain-builder/vehicle-busy-periods"),
    ("POST", "/api/calendar/schedule-assignment"),
    ("POST", "/api/chain-builder/save-chain"),
    ("POST", "/api/chain-builder/save-vehicle-chain"),
    ("POST", "/api/calendar/save-schedule"),
    ("GET", "/api/assignments/{id}"),
    ("GET", "/api/fms/attention"),
    ("POST", "/api/fms/resolve/{id}"),
    ("GET", "/api/fms/operations"),
    ("POST", "/api/fms/bulk-create-vehicle-requests"),
    ("POST", "/api/fms/bulk-unrequest-vehicle-requests"),
    ("POST", "/api/fms/bulk-delete-vehicle-requests"),
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(["2026-12-01", "2026-02-30", "12/01/26", VIN_OK, OFFICE, "requested"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "vin",
                    "person_id",
                    "start_day",
                    "end_day",
                    "office",
                    "chain",
                    "start_date",
                    "end_date",
                    "status",
                    "week_start",
                    "assignments",
                    "make",
                    "x",
                    "assignment_ids",
                ]
            ),
            inner,
            max_size=6,
        )
    ),
    max_leaves=12,
)
path_ids = st.one_of(st.integers(min_value=-5, max_value=2**66).map(str), st.text(max_size=8))
query = st.dictionaries(
    st.sampled_from(
        [
            "office",
            "start_date",
            "end_date",
            "vin",
            "make",
            "person_id",
            "new_status",
            "actor",
            "outcome",
            "since",
            "until",
            "limit",
            "assignment_id",
            "stream",
        ]
    ),
    st.one_of(
        st.text(max_size=20),
        st.sampled_from(["2026-12-01", "2027-13-01", OFFICE, "99999999999999999999", "ndjson"]),
    ),
    max_size=5,
)


def _app() -> Litestar:
    container = build_container(
        Settings(storage_backend="memory", fms=FmsSettings(sandbox_latency_ms=0, sandbox="memory"))
    )
    factory = container.uow_factory()
    assert isinstance(factory, MemoryUnitOfWorkFactory)
    asyncio.run(seed(factory))
    return create_app(container)


def test_generated_requests_never_get_a_500() -> None:
    with TestClient(app=_app()) as client:
        r = client.post(
            "/api/calendar/schedule-assignment",
            json={"vin": VIN_OK, "person_id": PARTNER, "start_day": "2026-12-01", "office": OFFICE},
        )
        assert r.status_code == 201

        @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(
            route=st.sampled_from(ROUTES), path_id=path_ids, params=query, body=json_values, raw=st.booleans()
        )
        def probe(route: tuple[str, str], path_id: str, params: dict[str, str], body: Any, raw: bool) -> None:
            method, template = route
            url = template.replace("{id}", quote(path_id, safe="") or "1")
            content = json.dumps(body).encode()[: -1 if raw else None]  # raw: truncated, malformed JSON
            response = client.request(
                method, url, params=params, content=content, headers={"content-type": "application/json"}
            )
            assert response.status_code < 500, (method, url, params, body, response.text)
            assert response.status_code < 400 or "detail" in response.json()

        probe()
