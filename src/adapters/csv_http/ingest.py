"""Ingest from a URL: only on the configured report hosts, checked by the SSRF-safe URL policy."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from adapters.csv_http.source import DownloadLimits, HttpCsvSource
from adapters.csv_http.url_policy import (
    Resolver,
    UrlPolicy,
    UrlRefused,
    check_redirect,
    check_url,
    resolve_host,
)
from application.port_errors import SourceUnavailable


def ingest_policy(base: UrlPolicy, report_urls: list[str]) -> UrlPolicy:
    """REPORT_HOSTS plus the hosts of the configured report URLs.

    The operator chose those, so they may be private or plain http (the sandbox simulator on 127.0.0.1).
    """
    entries, private, allow_http = set(base.hosts), set(base.private_ok), base.allow_http
    for url in report_urls:
        parts = urlsplit(url)
        host = parts.hostname or ""
        entries.add(f"{host}:{parts.port}" if parts.port else host)
        private.add(host)
        allow_http = allow_http or parts.scheme == "http"
    policy = UrlPolicy.from_entries(entries, allow_http=allow_http, private_ok=private)
    return UrlPolicy(policy.hosts, policy.allow_http, policy.private_ok, base.max_redirects)


class UrlIngest:
    """Makes the source of an ingest-from-URL request, after the policy accepted the URL."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        policy: UrlPolicy,
        resolve: Resolver = resolve_host,
        *,
        limits: DownloadLimits,
    ) -> None:
        self.client = client
        self.policy = policy
        self.limits = limits
        self._resolve = resolve

    async def source(self, url: str) -> HttpCsvSource:
        """A source for url; UrlRefused when the URL is not on an allowed report host."""
        checked = await check_url(url, self.policy, self._resolve)
        return HttpCsvSource(self.client, checked.url, limits=self.limits, redirect=self._redirect)

    async def _redirect(self, current: str, location: str, hop: int) -> str:
        try:
            checked = await check_redirect(current, location, self.policy, hop=hop, resolve=self._resolve)
        except UrlRefused as exc:
            raise SourceUnavailable(f"refused a redirect: {exc}") from None
        return checked.url
