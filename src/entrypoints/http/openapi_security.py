"""The security answers (401, 403, 429) and the public operations, written into the OpenAPI schema."""

from __future__ import annotations

from litestar import Litestar
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, Reference

from entrypoints.http.auth import admin_only, is_public
from entrypoints.http.rate_limit import calls_fms

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _answer(description: str) -> OpenAPIResponse:
    body = OpenAPIMediaType(schema=Reference(ref="#/components/schemas/ErrorBody"))
    return OpenAPIResponse(description=description, content={"application/json": body})


def _admin_paths(app: Litestar) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if admin_only in handler.resolve_guards():
                found.update((str(m).lower(), route.path_format) for m in handler.http_methods)
    return found


def document_security(app: Litestar) -> None:
    """Add 401/403 (and 429 on FMS routes) to every protected operation; public ones need no token."""
    openapi = app.openapi_schema
    admin = _admin_paths(app)
    for path, item in (openapi.paths or {}).items():
        for method in METHODS:
            operation = getattr(item, method, None)
            if operation is None:
                continue
            if is_public(path):
                operation.security = []  # no token needed
                continue
            responses = operation.responses if operation.responses is not None else {}
            role = "admin" if (method, path) in admin else "scheduler"
            responses.setdefault("401", _answer("no valid bearer token (see README: Authentication)"))
            responses.setdefault("403", _answer(f"the token lacks the {role} role"))
            if calls_fms(method.upper(), path):
                responses.setdefault("429", _answer("too many FMS actions by this person; see Retry-After"))
            operation.responses = responses
