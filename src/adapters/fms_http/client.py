"""The one pooled httpx client a process uses to talk to FMS."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from adapters.fms_http.secret import Secret


@dataclass(frozen=True)
class FmsEndpoint:
    """Where FMS is and how to authenticate: the base URL and the service token (never shown)."""

    base_url: str
    token: Secret


def fms_client(
    endpoint: FmsEndpoint,
    *,
    timeout_seconds: float,
    connect_timeout_seconds: float,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    """A pooled client on the endpoint's base URL; no retries, redirects not followed.

    The token is not set on the client: the gateway adds it to each request, so that no client
    default (printed by a debugger, say) carries it.
    """
    return httpx.AsyncClient(
        base_url=endpoint.base_url,
        timeout=httpx.Timeout(timeout_seconds, connect=connect_timeout_seconds),
        limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
        transport=transport or httpx.AsyncHTTPTransport(retries=0),
        follow_redirects=False,
        headers={"Accept": "application/json", "User-Agent": "media-scheduler"},
    )
