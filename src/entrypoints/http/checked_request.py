"""The app's Request class: a JSON body is read only when it nests at most MAX_JSON_DEPTH levels (else
JsonTooDeep, 400) and, decoded, holds only text PostgreSQL can store (else 400 naming the field).

Every route's JSON body (Litestar's `data`) is decoded here, so no route checks its own.
"""

from __future__ import annotations

from typing import Any

from litestar import Request

from entrypoints.http.json_depth import check_depth
from entrypoints.http.text_guard import JSON_NUL, check_body


class CheckedRequest(Request[Any, Any, Any]):
    """A Request whose JSON body is measured before it is decoded and checked after."""

    async def json(self) -> Any:
        """The decoded JSON body, checked."""
        body = await self.body()
        check_depth(body)  # before the decoder recurses
        value = await super().json()
        if JSON_NUL in body:
            check_body(value)
        return value
