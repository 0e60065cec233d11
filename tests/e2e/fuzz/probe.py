"""One request of the hostile corpus, as raw as the wire carries it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Probe:
    """One request: method, path and query (URL-encoded), body bytes and content type, and what it is."""

    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    content_type: str | None = "application/json"
    what: str = "valid"
    headers: dict[str, str] = field(default_factory=dict)

    def url(self) -> str:
        """The path with the query string, values as given (already encoded)."""
        if not self.query:
            return self.path
        return self.path + "?" + "&".join(f"{k}={v}" for k, v in self.query.items())


def as_json(value: Any) -> bytes:
    """The value as a JSON body."""
    return json.dumps(value).encode()


def multipart(files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """A multipart body of (field, file name, bytes) files, and its content type."""
    boundary = "hostile-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        f"Content-Type: text/csv\r\n\r\n".encode()
        + data
        + b"\r\n"
        for name, filename, data in files
    ]
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"
