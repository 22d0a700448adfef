"""The OpenAPI document a client generator can use: operation ids, the security scheme, problem answers.

Applied once to every service by `create_service_app`, so a new route gets all of it without a line of its own:

- `operation_id(route)`: `<tag>.<verb>` in lowerCamelCase, the tag's own words taken out of the function's name
  (`list_users` under the tag `users` is `users.list`; `reset_password` under `users` is
  `users.resetPassword`). A route that sets `operation_id=` keeps it.
- `OAUTH2`: the one security scheme (OAuth2 password and client-credentials flows at `TOKEN_URL`); every route
  that depends on the caller's token lists it, because the kit's principal dependency depends on it.
- `finish_document(document)`: FastAPI's own 422 documented as the `application/problem+json` `Problem` the
  kit renders, 401 and 503 on every secured operation, 422 on every operation that takes input, 400 on every
  operation with a body, the `cursor` parameter as the opaque url-safe string it is; the answers a route lists
  in `responses=` stay as they are.
- `allowed_methods(document, path)`: the `Allow` of a 405, from every route of the path (errors.py).
- `restore_example_nulls(document)`: the `null`s of the models' examples, which FastAPI's document drops
  (it is encoded with `exclude_none`), so that an example shows every field and its schema accepts it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlowPassword, OAuthFlows
from fastapi.routing import APIRoute
from fastapi.security import OAuth2
from pydantic import BaseModel

PROBLEM_CONTENT_TYPE = "application/problem+json"
TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 - the path of the token endpoint, not a secret
SCHEME_NAME = "OAuth2"

OAUTH2 = OAuth2(
    flows=OAuthFlows(
        password=OAuthFlowPassword(tokenUrl=TOKEN_URL, scopes={}),
        clientCredentials=OAuthFlowClientCredentials(tokenUrl=TOKEN_URL, scopes={}),
    ),
    scheme_name=SCHEME_NAME,
    description=(
        "Bearer JWT (RS256) from the token endpoint: users sign in with the password grant, other systems with "
        "client credentials. 用户以密码方式、接入系统以客户端凭证方式获取令牌。"
    ),
    auto_error=False,
)

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "properties": {
        "type": {"type": "string", "examples": ["https://rectify.example/problems/validation-error"]},
        "title": {"type": "string", "description": "zh-CN by default, English when Accept-Language prefers it"},
        "status": {"type": "integer"},
        "code": {"type": "string", "description": "stable machine-readable code"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "required": ["type", "title", "status"],
    "additionalProperties": True,
}

STATUS_TEXT: dict[int, str] = {
    400: "Bad request",
    401: "Not authenticated: missing, invalid or expired bearer token",
    403: "Forbidden: role, scope or unit does not allow it",
    404: "Not found (or not visible to the caller)",
    405: "Method not allowed",
    409: "Conflict: the current state does not allow it",
    412: "Precondition failed: If-Match is stale",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Unprocessable content: a field or parameter is invalid",
    428: "Precondition required: If-Match missing",
    429: "Too many requests (see Retry-After)",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable (see Retry-After when given)",
    504: "Gateway timeout",
}

_CAMEL_BOUNDARY = re.compile(r"[-_\s]+")


def _camel(words: Iterable[str]) -> str:
    parts = [w for w in words if w]
    return parts[0].lower() + "".join(p[:1].upper() + p[1:].lower() for p in parts[1:]) if parts else ""


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


def operation_id(route: APIRoute) -> str:
    """`<tag>.<verb>`: the first tag, and the function's name without the tag's words."""
    tag = str(route.tags[0]) if route.tags else "default"
    tag_words = _CAMEL_BOUNDARY.split(tag.lower())
    own = {w for word in tag_words for w in (word, _singular(word))}
    words = [w for w in route.name.split("_") if w]
    verb = [w for w in words if w.lower() not in own] or words
    return f"{_camel(tag_words)}.{_camel(verb)}"


def problem_response(status: int) -> dict[str, Any]:
    """One documented problem answer (for `responses=` and the document's finishing)."""
    return {
        "description": STATUS_TEXT.get(status, "Error"),
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def add_responses(operation: dict[str, Any], statuses: Iterable[int]) -> None:
    """Document `statuses` as problems on `operation` unless it already documents them."""
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for status in statuses:
        responses.setdefault(str(status), problem_response(status))


def _as_problem(status: str, response: dict[str, Any]) -> None:
    """FastAPI's own 422 (`HTTPValidationError` as JSON) becomes a problem, as the kit's handler renders it.

    An error body a route declares itself (`responses={400: {"model": ...}}`) is left as it is.
    """
    content = response.get("content") or {}
    schema = content.get("application/json", {}).get("schema", {})
    if status[:1] in ("4", "5") and schema.get("$ref") == "#/components/schemas/HTTPValidationError":
        content.pop("application/json")
        content[PROBLEM_CONTENT_TYPE] = {"schema": {"$ref": "#/components/schemas/Problem"}}


def _takes_input(operation: Mapping[str, Any]) -> bool:
    return bool(operation.get("parameters")) or "requestBody" in operation


_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operations(document: Mapping[str, Any]) -> Iterable[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) of every operation of the document."""
    for path, item in document.get("paths", {}).items():
        for method in _METHODS:
            if method in item:
                yield path, method, item[method]


def allowed_methods(document: Mapping[str, Any], path: str) -> list[str]:
    """Every method the document lists for the path templates `path` matches (for a 405's `Allow`)."""
    matches: list[tuple[int, set[str]]] = []
    for template, item in document.get("paths", {}).items():
        parts = re.split(r"(\{[^}]+\})", template)
        pattern = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
        if re.fullmatch(pattern, path):
            matches.append((template.count("{"), {m.upper() for m in item if m in _METHODS}))
    # The most literal templates name the resource (`/items/import` rather than `/items/{id}`).
    fewest = min((count for count, _ in matches), default=0)
    methods = {m for count, found in matches if count == fewest for m in found}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


CURSOR_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": "^[A-Za-z0-9_-]*$",
    "maxLength": 2000,
    "description": "opaque: the `next_cursor` of the previous page (empty: the first page); any other value is a "
    "422 on `cursor`",
}

IF_MATCH: dict[str, Any] = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "description": 'the ETag of the last GET (`"<version>"`): missing is 428, stale is 412',
    "schema": {"type": "string", "examples": ['"3"']},
}


def _document_cursor(operation: dict[str, Any]) -> None:
    """`cursor` is what `pagination.encode_cursor` makes (url-safe base64), whatever the route declared."""
    for parameter in operation.get("parameters", []):
        if parameter.get("name") == "cursor" and parameter.get("in") == "query":
            parameter["schema"] = dict(CURSOR_SCHEMA)
            parameter["description"] = CURSOR_SCHEMA["description"]


def finish_document(document: dict[str, Any]) -> dict[str, Any]:
    """Add the Problem schema and the problem answers every operation can give (see the module's docstring)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    for _, _, operation in operations(document):
        _document_cursor(operation)
        if "428" in operation.get("responses", {}):
            # A route that answers 428 requires If-Match (etag.require_if_match): say so in its parameters.
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("name", "").lower() == "if-match" for p in parameters):
                parameters.append(dict(IF_MATCH))
        for status, response in operation.get("responses", {}).items():
            _as_problem(status, response)
        if operation.get("security"):
            add_responses(operation, (401, 503))
        if _takes_input(operation):
            add_responses(operation, (422,))
        if "requestBody" in operation:
            add_responses(operation, (400,))  # a body that is not what its content type says (FastAPI's own)
    # Kept while anything names it: the `webhooks` (what a subscriber receives) keep FastAPI's own 422.
    named = json.dumps([document.get("paths", {}), document.get("webhooks", {})])
    if "#/components/schemas/HTTPValidationError" not in named:
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
    return document


def _models(base: type[BaseModel]) -> Iterable[type[BaseModel]]:
    for model in base.__subclasses__():
        yield model
        yield from _models(model)


def restore_example_nulls(document: dict[str, Any]) -> dict[str, Any]:
    """Put back the `null` fields of each component schema's `examples`: FastAPI encodes the document without
    `None`s, examples included, so an example would lack a required nullable field. A schema's examples are
    matched to the model of its title whose examples, without their `None`s, are the ones in the document."""
    by_title: dict[str, list[list[Any]]] = {}
    for model in _models(BaseModel):
        extra = model.model_config.get("json_schema_extra")
        examples = extra.get("examples") if isinstance(extra, dict) else None
        if isinstance(examples, list):
            by_title.setdefault(model.__name__, []).append(examples)
    for schema in document.get("components", {}).get("schemas", {}).values():
        shown = schema.get("examples")
        for candidate in by_title.get(schema.get("title", ""), []) if shown else []:
            if jsonable_encoder(candidate, exclude_none=True) == shown:
                schema["examples"] = jsonable_encoder(candidate)
                break
    return document
