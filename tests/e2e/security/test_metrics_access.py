"""Who may read GET /metrics when authentication is on: admins, and scrapers with METRICS_TOKEN."""

from __future__ import annotations

from adapters.fms_http.secret import Secret
from tests.e2e.security.conftest import SecuredFactory
from tests.e2e.security.tokens import bearer, mint
from tests.e2e.webhook_support import METRICS_TOKEN


async def test_with_authentication_only_admins_and_the_metrics_token_may_scrape(
    make_secured: SecuredFactory,
) -> None:
    async with make_secured(metrics_token=Secret(METRICS_TOKEN)) as env:
        client = env.client
        assert (await client.get("/metrics")).status_code == 401
        assert (await client.get("/metrics", headers=bearer(mint()))).status_code == 403
        assert (await client.get("/metrics", headers=bearer(mint(roles=["admin"])))).status_code == 200
        assert (await client.get("/metrics", headers=bearer(METRICS_TOKEN))).status_code == 200
        wrong = await client.get("/metrics", headers=bearer("scrape-token-abcdeX"))
        assert wrong.status_code == 401
    async with make_secured() as env:  # no METRICS_TOKEN: a token of that shape is no JWT
        assert (await env.client.get("/metrics", headers=bearer(METRICS_TOKEN))).status_code == 401
