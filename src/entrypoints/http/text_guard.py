"""Text PostgreSQL cannot store (NUL, lone surrogates) is refused at the edge, with 400 naming the field.

One guard checks what every request has (path parameters, query, headers) and the app's Request class
(checked_request.py) checks JSON bodies as Litestar decodes them, so no route needs its own check and no
such text reaches the database driver, which would fail on it. Multipart uploads carry a report file,
whose cells the report parser checks (a NUL makes its row a bad row), and a file name, which is only
shown escaped (repr).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import ValidationException
from litestar.handlers.base import BaseRouteHandler

from application.storable_text import unstorable

JSON_NUL = b"\\u0000"  # a JSON text can carry a NUL only escaped; msgspec refuses lone surrogates


def refused(source: str, name: str, problem: str) -> ValidationException:
    """The 400 for unstorable text in one field, in Litestar's validation error shape."""
    message = f"{source} field {name} holds {problem}"
    return ValidationException(detail=message, extra=[{"key": name, "source": source, "message": message}])


def _check(source: str, name: str, text: str) -> None:
    if (problem := unstorable(text)) is not None:
        raise refused(source, repr(name) if unstorable(name) else name, problem)


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string in a decoded body (dict keys too), with where it is: chain[1].model."""
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            for key, inner in item.items():
                name = f"{where}.{key}" if where else str(key)
                if isinstance(key, str):
                    yield name, key
                stack.append((inner, name))
        elif isinstance(item, list | tuple):
            stack.extend((inner, f"{where}[{i}]") for i, inner in enumerate(item))


def check_body(value: Any) -> None:
    """400 when any string of a decoded body cannot be stored."""
    for where, text in _strings(value, ""):
        _check("body", where or "(the body)", text)


def _all_storable(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """One search over every path and query string, one byte test per raw header (Litestar decodes
    headers as latin-1: a NUL byte is the only unstorable character they can hold)."""
    texts = [v for v in connection.path_params.values() if isinstance(v, str)]
    for name, value in connection.query_params.multi_items():
        texts += (name, value)
    if unstorable("".join(texts)) is not None:  # joining makes no NUL or surrogate, and hides none
        return False
    return not any(b"\x00" in name or b"\x00" in value for name, value in connection.scope["headers"])


async def text_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """App-level guard: path parameters, query parameters and header values hold only storable text."""
    if _all_storable(connection):
        return  # every request but a refused one: the field by field walk below names the field
    for name, value in connection.path_params.items():
        if isinstance(value, str):
            _check("path", name, value)
    for name, value in connection.query_params.multi_items():
        _check("query", name, name)
        _check("query", name, value)
    for name, value in connection.headers.items():
        _check("header", name, value)
