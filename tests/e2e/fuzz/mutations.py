"""From one valid request, the hostile ones: each corpus value in each parameter and body field, and
bodies wrong as a whole (bare arrays and objects, deep nesting, duplicated keys, other content types, empty
multipart)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from tests.e2e.fuzz.corpus import DEEP_BODIES, JSON_VALUES, UPLOAD, UPLOAD_TYPE, URL_VALUES
from tests.e2e.fuzz.probe import Probe

HOLE = "__hostile__"
EMPTY_MULTIPART = (b"--hostile-boundary--\r\n", "multipart/form-data; boundary=hostile-boundary")


def _splice(body: Any, raw: str) -> bytes:
    return json.dumps(body).replace(json.dumps(HOLE), raw).encode()


def _fields(body: Any) -> Iterator[tuple[str, Any]]:
    """(where, the body with a hole there), for each top-level field and each field of a first list item."""
    if not isinstance(body, dict):
        return
    for key, value in body.items():
        yield key, {**body, key: HOLE}
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for inner in value[0]:
                yield f"{key}[0].{inner}", {**body, key: [{**value[0], inner: HOLE}, *value[1:]]}


def url_mutations(template: str, parameters: list[dict[str, Any]], base: Probe) -> Iterator[Probe]:
    """Every URL corpus value in every path and query parameter the operation declares."""
    for parameter in parameters:
        name, where = parameter["name"], parameter["in"]
        for what, value in URL_VALUES.items():
            if where == "path":
                yield replace(base, path=template.replace(f"{{{name}}}", value), what=f"path {name}: {what}")
            elif where == "query":
                yield replace(base, query={**base.query, name: value}, what=f"query {name}: {what}")


def body_mutations(base: Probe) -> Iterator[Probe]:
    """Every JSON corpus value in every body field, then whole bodies of the wrong shape or type."""
    if base.body is None:
        return
    if base.content_type == "application/json":
        body = json.loads(base.body)
        for where, holed in _fields(body):
            for what, raw in JSON_VALUES.items():
                yield replace(base, body=_splice(holed, raw), what=f"body {where}: {what}")
        first = next(iter(body)) if isinstance(body, dict) else None
        if first is not None:
            rest = base.body.decode()[1:]
            yield replace(
                base, body=f'{{"{first}": "a\\u0000", {rest}'.encode(), what="duplicated key, NUL first"
            )
            yield replace(
                base,
                body=f'{base.body.decode()[:-1]}, "{first}": "a\\u0000"}}'.encode(),
                what="duplicated key, NUL last",
            )
        shapes = {
            "bare array": b"[]",
            "array of objects": b"[{}]",
            "bare object": b"{}",
            "bare string": b'"x"',
        }
        for what, raw_body in {**shapes, **DEEP_BODIES}.items():
            yield replace(base, body=raw_body, what=what)
        yield replace(base, body=UPLOAD, content_type=UPLOAD_TYPE, what="multipart where JSON is expected")
    else:
        yield replace(base, body=EMPTY_MULTIPART[0], content_type=EMPTY_MULTIPART[1], what="empty multipart")
        for what, raw_body in DEEP_BODIES.items():
            yield replace(base, body=raw_body, content_type="application/json", what=f"JSON {what}")
        yield replace(
            base, body=b'{"file": "x"}', content_type="application/json", what="JSON where multipart"
        )
    yield replace(base, body=base.body, content_type="text/plain", what="text/plain content type")
    yield replace(base, body=b"a=1&b=%00", content_type="application/x-www-form-urlencoded", what="form body")
    yield replace(base, body=b"", what="empty body")
    yield replace(base, body=base.body[: len(base.body) // 2], what="truncated body")


def mutations(template: str, operation: dict[str, Any], base: Probe) -> Iterator[Probe]:
    """All hostile requests of one operation (its schema entry and its valid request)."""
    yield from url_mutations(template, operation.get("parameters", []), base)
    yield from body_mutations(base)
    yield replace(base, headers={"X-Hostile": "a\x00b"}, what="header with a NUL")
