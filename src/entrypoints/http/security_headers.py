"""Response headers on every answer (framing, sniffing, referrer, caching) and the CORS allowlist."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar.config.cors import CORSConfig
from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from entrypoints.http.page_paths import PAGE_POLICY, is_page_path
from entrypoints.settings.security import SecuritySettings

BeforeSend = Callable[[Message, Scope], Awaitable[None]]


def security_headers(security: SecuritySettings) -> dict[str, str]:
    """The headers added to every response."""
    return {
        "Content-Security-Policy": f"frame-ancestors {' '.join(security.frame_ancestors)}",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


def _encoded(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]


def security_headers_hook(security: SecuritySettings) -> BeforeSend:
    """A before_send hook: runs for every response, 404s and errors included."""
    fixed = security_headers(security)
    page = {**fixed, "Content-Security-Policy": f"{PAGE_POLICY}; {fixed['Content-Security-Policy']}"}
    fixed_raw, page_raw = _encoded(fixed), _encoded(page)
    no_store = (b"cache-control", b"no-store")
    ours = frozenset(name for name, _ in fixed_raw) | {no_store[0]}

    def set_each(message: Message, path: str) -> None:
        headers = MutableScopeHeaders.from_message(message)
        for name, value in fixed.items():
            headers[name] = value
        if is_page_path(path):  # the calendar page: nothing but its own files, calls to itself
            headers["Content-Security-Policy"] = page["Content-Security-Policy"]
        if path.startswith("/api/") and "cache-control" not in headers:
            headers["Cache-Control"] = "no-store"  # per-person data: never cached by browsers or proxies

    async def hook(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        path = scope["path"]
        raw = message.get("headers")
        if not isinstance(raw, list) or not ours.isdisjoint(name.lower() for name, _ in raw):
            set_each(message, path)  # one of them is there already: replaced where it stands
            return
        raw += page_raw if is_page_path(path) else fixed_raw  # what set_each appends, in its order
        if path.startswith("/api/"):
            raw.append(no_store)

    return hook


def cors_config(security: SecuritySettings) -> CORSConfig | None:
    """CORS for the configured origins only (none: same-origin only); bearer tokens, no cookies."""
    if not security.cors_allow_origins:
        return None
    return CORSConfig(
        allow_origins=list(security.cors_allow_origins),
        allow_methods=["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "X-Request-Id"],
        allow_credentials=False,
        expose_headers=["X-Request-Id", "Retry-After"],
        max_age=600,
    )
