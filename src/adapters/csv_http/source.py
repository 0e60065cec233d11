"""HttpCsvSource and HttpReportSources: report files streamed with httpx, never held whole in memory.

Each download has a total deadline (from its first byte asked to its last received, redirects
included: the per-read timeout of the client alone lets a host sending a row a second go on for
ever) and a byte cap; either ends it as SourceUnavailable (the report is unavailable).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx

from application.port_errors import SourceUnavailable
from application.sync.ports import CsvSource
from application.sync.records import ReportName

CHUNK_BYTES = 256 * 1024
Redirect = Callable[[str, str, int], Awaitable[str]]  # (current url, location, hop) -> next url


@dataclass(frozen=True)
class DownloadLimits:
    """How long one report download may take in all, and how many bytes it may have."""

    deadline_seconds: float = 900.0  # SYNC_HTTP_DEADLINE_SECONDS
    max_bytes: int = 512 * 1024 * 1024  # SYNC_MAX_DOWNLOAD_MB

    def too_large(self, location: str) -> SourceUnavailable:
        """The error of a report over the byte cap."""
        mb = self.max_bytes / (1024 * 1024)
        return SourceUnavailable(f"{location} is larger than {mb:g} MB (SYNC_MAX_DOWNLOAD_MB); not loaded")

    def too_slow(self, location: str) -> SourceUnavailable:
        """The error of a report not read to the end within the deadline."""
        return SourceUnavailable(
            f"{location} was not read to the end within {self.deadline_seconds:g} s "
            "(SYNC_HTTP_DEADLINE_SECONDS); not loaded"
        )


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
    """One report at a URL, read with a shared httpx client, within its download limits.

    Redirects are followed by httpx, unless `redirect` is given: then each hop is handed to it (it
    checks the target and answers the URL to fetch, or raises SourceUnavailable).
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        url: str,
        *,
        limits: DownloadLimits,
        redirect: Redirect | None = None,
    ) -> None:
        self._client = client
        self._url = url
        self._limits = limits
        self._redirect = redirect
        self.location = safe_location(url)

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body as it arrives; SourceUnavailable on an error status, a timeout, a cut connection,
        the deadline passing or the byte cap exceeded."""
        # Every wait is bounded by the one deadline; the consumer's time between chunks counts too
        # (the download holds the sync lock all along), but no wait happens across a yield.
        deadline = asyncio.get_running_loop().time() + self._limits.deadline_seconds
        url, hop, follow, received = self._url, 0, self._redirect is None, 0
        try:
            while True:
                async with AsyncExitStack() as stack:
                    async with asyncio.timeout_at(deadline):
                        response = await stack.enter_async_context(
                            self._client.stream("GET", url, follow_redirects=follow)
                        )
                        if response.is_redirect and self._redirect is not None:
                            hop += 1
                            url = await self._redirect(url, response.headers.get("location", ""), hop)
                            continue
                    if response.status_code != 200:
                        raise SourceUnavailable(f"{self.location} answered HTTP {response.status_code}")
                    if _announced(response) > self._limits.max_bytes:
                        raise self._limits.too_large(self.location)
                    body = response.aiter_bytes(CHUNK_BYTES)
                    while True:
                        async with asyncio.timeout_at(deadline):
                            chunk = await anext(body, None)
                        if chunk is None:
                            return
                        received += len(chunk)
                        if received > self._limits.max_bytes:
                            raise self._limits.too_large(self.location)
                        yield chunk
        except TimeoutError as exc:  # the deadline (httpx's own timeouts are HTTPErrors)
            raise self._limits.too_slow(self.location) from exc
        except httpx.HTTPError as exc:
            reason = str(exc).strip() or type(exc).__name__
            raise SourceUnavailable(
                f"{self.location} could not be read to the end: {type(exc).__name__}: {reason}"
            ) from exc


def _announced(response: httpx.Response) -> int:
    """The Content-Length the host announced (0 when none or not a number)."""
    raw = response.headers.get("content-length", "")
    return int(raw) if raw.isdigit() else 0


class HttpReportSources:
    """The configured URL of each report."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        urls: Mapping[ReportName, str],
        settings: Mapping[ReportName, str],
        *,
        limits: DownloadLimits,
    ) -> None:
        self._client = client
        self._urls = dict(urls)
        self._settings = dict(settings)
        self._limits = limits

    def source(self, report: ReportName) -> CsvSource | None:
        """The report's URL as a source, or None when it has none."""
        url = self._urls.get(report)
        return HttpCsvSource(self._client, url, limits=self._limits) if url else None

    def missing(self, report: ReportName) -> str:
        """Which setting gives the report a URL."""
        setting = self._settings.get(report, "its report URL")
        return f"not configured: set {setting} to the URL of the {report} report"
