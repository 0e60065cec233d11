"""The calendar page: static files served at `/` and `/ui/`, with its own Content-Security-Policy.

The page and its files hold no data and no secret: anyone may load them; every API call they make
carries the bearer token the page got from FMS (README: Embedding in FMS).
"""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
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
