"""Where the calendar page lives and the Content-Security-Policy it is served with.

A leaf module: authentication and the security headers ask it which paths are the page's, without
importing the page's routes (which depend on them).
"""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).parent / "calendar_page" / "static"
PAGE_PATH = "/"
ASSETS_PATH = "/ui"
# No inline script or style, nothing from elsewhere; frame-ancestors is appended by security_headers.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'"
)


def is_page_path(path: str) -> bool:
    """True for the page and its static files (public, served with PAGE_POLICY)."""
    return path in (PAGE_PATH, ASSETS_PATH) or path.startswith(f"{ASSETS_PATH}/")
