"""Text the service can store: PostgreSQL's text type refuses NUL, and UTF-8 cannot carry lone surrogates.

Input is checked against this at the edges (HTTP requests, report cells, token claims), so that such
text is refused as bad input instead of failing deep in the database driver.
"""

from __future__ import annotations

import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(text: str) -> str | None:
    """What in the text cannot be stored (its first such character), or None when all of it can."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    char = found.group()
    what = "a NUL character" if char == "\x00" else f"a lone surrogate (U+{ord(char):04X})"
    return f"{what} at position {found.start()}, which cannot be stored"
