"""The security headers hook adds to a response start exactly what setting each header one by one does."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.datastructures import MutableScopeHeaders

from entrypoints.http.page_paths import PAGE_POLICY, is_page_path
from entrypoints.http.security_headers import security_headers, security_headers_hook
from entrypoints.settings.security import SecuritySettings

SECURITY = SecuritySettings(frame_ancestors=("'self'", "https://fms.example.com"))
Raw = list[tuple[bytes, bytes]]


def set_one_by_one(headers: Raw, path: str) -> Raw:
    """The reference: Litestar's mutable headers, one assignment per header."""
    message: Any = {"type": "http.response.start", "status": 200, "headers": list(headers)}
    mutable = MutableScopeHeaders.from_message(message)
    fixed = security_headers(SECURITY)
    for name, value in fixed.items():
        mutable[name] = value
    if is_page_path(path):
        mutable["Content-Security-Policy"] = f"{PAGE_POLICY}; {fixed['Content-Security-Policy']}"
    if path.startswith("/api/") and "cache-control" not in mutable:
        mutable["Cache-Control"] = "no-store"
    return list(mutable.headers)


JSON = [(b"content-type", b"application/json"), (b"content-length", b"12")]


@pytest.mark.parametrize("path", ["/api/calendar/activity", "/", "/ui/app.js", "/healthz", "/schema", "/api"])
@pytest.mark.parametrize(
    "headers",
    [
        [],
        JSON,
        [*JSON, (b"cache-control", b"max-age=60")],
        [*JSON, (b"Cache-Control", b"private")],
        [(b"x-content-type-options", b"other"), *JSON],
        [(b"content-security-policy", b"default-src 'self'"), *JSON, (b"Referrer-Policy", b"origin")],
        [*JSON, (b"x-request-id", b"abc")],
    ],
)
async def test_the_hook_answers_as_setting_each_header(headers: Raw, path: str) -> None:
    message: Any = {"type": "http.response.start", "status": 200, "headers": list(headers)}
    scope: Any = {"path": path}
    await security_headers_hook(SECURITY)(message, scope)
    assert message["headers"] == set_one_by_one(headers, path)


async def test_a_body_message_is_left_alone() -> None:
    message: Any = {"type": "http.response.body", "body": b"{}", "more_body": False}
    scope: Any = {"path": "/api/x"}
    await security_headers_hook(SECURITY)(message, scope)
    assert message == {"type": "http.response.body", "body": b"{}", "more_body": False}
