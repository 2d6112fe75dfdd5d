"""The studio's OpenAPI schema as the server really answers, for anyone who generates a client from ``/docs``.

FastAPI documents a route's success and its 422; the studio answers more than that, always as
``{"error": "what was wrong"}``. ``documented_errors`` adds what each operation can really get:

- from the request guard, before any route: 421 (a Host that is not this studio) on every
  operation; 403 (another site's Origin) on every state-changing one; 401 (the token) on every
  one that needs it; 413 (too large) and 415 (not a content type it reads) on every one with a body;
- from the routes: 400 (the input cannot be used: ``InputError``) on every operation that takes
  input; 404 on every one with a path parameter (no such show, line, lesson, pack...);
- and what a route declares itself (``responses=``: 409, 429, 503 where they happen).

``allowed_methods`` is what an ``Allow`` header must list for a path: every method any route
of the app serves there (Starlette's own 405 names only the first route that matched the path).
"""

from __future__ import annotations

import re
from typing import Any

from starlette.routing import BaseRoute, Match
from starlette.types import Scope

__all__ = [
    "CONFLICT",
    "ERROR_SCHEMA",
    "NOT_FOUND",
    "TOO_MANY",
    "allowed_methods",
    "describe_choices",
    "documented_errors",
    "responses",
]

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"error": {"type": "string", "description": "what was wrong, for a person to read"}},
    "required": ["error"],
}
Responses = dict[int | str, dict[str, Any]]


def responses(**described: str) -> Responses:
    """``responses=`` for a route: ``responses(e404="no such lesson")`` -> ``{404: {"description": ...}}``."""
    return {int(code.removeprefix("e")): {"description": why} for code, why in described.items()}


NOT_FOUND = responses(e404="not found (the error says what)")
CONFLICT = responses(e409="not now: the state does not allow it (the error says why)")
TOO_MANY = responses(e429="too many requests from this client (Retry-After)")
_METHODS = {"get", "post", "put", "patch", "delete"}
_STATE_CHANGING = {"post", "put", "patch", "delete"}
_WHY = {
    "400": "the input cannot be used (the error says which and why)",
    "401": "missing or wrong bearer token",
    "403": "a cross-site request (another site's Origin)",
    "404": "no such thing (the error names it)",
    "413": "the body is over the upload limit",
    "415": "the body is not a content type this operation reads",
    "421": "the Host header does not name this studio",
}


def documented_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (FastAPI's) with every error an operation can really answer, and the one error shape."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code in _codes(method, operation):
                operation["responses"].setdefault(code, {"description": _WHY[code]})
            for code, response in operation["responses"].items():
                if code.startswith(("4", "5")) and code != "422" and "content" not in response:
                    response["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    return schema


def describe_choices(schema: dict[str, Any], choices: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with what this studio's show requests may choose (``CastCatalog.choices``) as enums and ranges,
    so a request the schema calls valid is one the studio takes."""
    say = schema.get("paths", {}).get("/api/say", {}).get("post", {}).get("requestBody", {}).get("content", {})
    for form in say.values():
        form["schema"]["properties"]["character"]["enum"] = choices["cast"]
    shapes = schema.get("components", {}).get("schemas", {})
    choice, request = shapes.get("CastChoice"), shapes.get("ShowRequest")
    if choice is None or request is None:
        return schema
    choice["properties"]["id"]["enum"] = choices["cast"]
    choice["properties"]["voice"] = {
        **choice["properties"]["voice"],
        "anyOf": [{"enum": choices["voices"]}, {"type": "null"}],
    }
    props = request["properties"]
    props["writer"]["enum"] = choices["writers"]
    props["turns"]["anyOf"] = [{"type": "integer", "minimum": 1, "maximum": choices["max_turns"]}, {"type": "null"}]
    props["cast"].update(
        maxItems=len(choices["cast"]),
        anyOf=[{"maxItems": 0}, {"minItems": 2}],  # everyone, or two or more
    )
    return schema


def _codes(method: str, operation: dict[str, Any]) -> list[str]:
    parameters = operation.get("parameters", [])
    gated = any(p.get("in") == "header" and p.get("name", "").lower() == "authorization" for p in parameters)
    codes = ["421"]
    if method in _STATE_CHANGING:
        codes.append("403")
    if gated:
        codes.append("401")
    if "requestBody" in operation:
        codes += ["413", "415"]
    if parameters or "requestBody" in operation:
        codes.append("400")
    if any(p.get("in") == "path" for p in parameters):
        codes.append("404")
    return codes


def allowed_methods(schema: dict[str, Any], routes: list[BaseRoute], scope: Scope) -> list[str]:
    """What ``Allow`` lists for ``scope``'s path: the methods the schema documents there (a literal path before a
    template: ``/api/rtc/talk`` is not a session id), else every method a route serves there; sorted."""
    path = scope.get("path", "")
    documented = schema.get("paths", {})
    if path in documented:
        return sorted(method.upper() for method in documented[path] if method in _METHODS)
    for template, operations in documented.items():
        if "{" in template and re.fullmatch(re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)), path):
            return sorted(method.upper() for method in operations if method in _METHODS)
    probe = {**scope, "type": "http"}
    return sorted(m for m in ("GET", "POST", "PUT", "PATCH", "DELETE") if _served(routes, {**probe, "method": m}))


def _served(routes: list[BaseRoute], scope: Scope) -> bool:
    return any(route.matches(scope)[0] == Match.FULL for route in routes)
