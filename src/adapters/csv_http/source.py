"""HttpCsvSource and HttpReportSources: report files streamed with httpx, never held whole in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from urllib.parse import urlsplit, urlunsplit

import httpx

from application.port_errors import SourceUnavailable
from application.sync.ports import CsvSource
from application.sync.records import ReportName

CHUNK_BYTES = 256 * 1024
Redirect = Callable[[str, str, int], Awaitable[str]]  # (current url, location, hop) -> next url


def safe_location(url: str) -> str:
    """The URL without credentials, query or fragment (a token there must not reach logs or answers)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "<unparsable url>"
    return urlunsplit((parts.scheme, host + port, parts.path, "", ""))


class HttpCsvSource:
    """One report at a URL, read with a shared httpx client.

    Redirects are followed by httpx, unless `redirect` is given: then each hop is handed to it (it
    checks the target and answers the URL to fetch, or raises SourceUnavailable).
    """

    def __init__(self, client: httpx.AsyncClient, url: str, *, redirect: Redirect | None = None) -> None:
        self._client = client
        self._url = url
        self._redirect = redirect
        self.location = safe_location(url)

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body as it arrives; SourceUnavailable on an error status, a timeout or a cut connection."""
        url, hop, follow = self._url, 0, self._redirect is None
        try:
            while True:
                async with self._client.stream("GET", url, follow_redirects=follow) as response:
                    if response.is_redirect and self._redirect is not None:
                        hop += 1
                        url = await self._redirect(url, response.headers.get("location", ""), hop)
                        continue
                    if response.status_code != 200:
                        raise SourceUnavailable(f"{self.location} answered HTTP {response.status_code}")
                    async for chunk in response.aiter_bytes(CHUNK_BYTES):
                        yield chunk
                    return
        except httpx.HTTPError as exc:
            reason = str(exc).strip() or type(exc).__name__
            raise SourceUnavailable(
                f"{self.location} could not be read to the end: {type(exc).__name__}: {reason}"
            ) from exc


class HttpReportSources:
    """The configured URL of each report."""

    def __init__(
        self, client: httpx.AsyncClient, urls: Mapping[ReportName, str], settings: Mapping[ReportName, str]
    ) -> None:
        self._client = client
        self._urls = dict(urls)
        self._settings = dict(settings)

    def source(self, report: ReportName) -> CsvSource | None:
        """The report's URL as a source, or None when it has none."""
        url = self._urls.get(report)
        return HttpCsvSource(self._client, url) if url else None

    def missing(self, report: ReportName) -> str:
        """Which setting gives the report a URL."""
        setting = self._settings.get(report, "its report URL")
        return f"not configured: set {setting} to the URL of the {report} report"
