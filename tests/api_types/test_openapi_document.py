"""The merged OpenAPI document `make api-types` generates the SPA's types from: complete and sound."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from gateway.openapi_merge import dangling_refs
from gateway.routing import upstream_for

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "openapi_document.py"
HTTP_METHODS = {"get", "put", "post", "delete", "patch"}


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("openapi_document", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    merged: dict[str, Any] = _script().merged_document()
    return merged


class TestOfflineDocument:
    def test_every_reference_names_a_component(self, document: dict[str, Any]) -> None:
        assert dangling_refs(document) == []

    def test_paths_of_every_service_are_there_and_routed_to_it(self, document: dict[str, Any]) -> None:
        routes = [upstream_for(path) for path in document["paths"]]
        routed = {route[0] for route in routes if route is not None}
        assert routed == {"issues-api", "notify-api", "report-api"}
        assert {"/api/v1/issues", "/api/v1/notifications", "/api/v1/reports/summary"} <= set(document["paths"])

    def test_operation_ids_are_unique(self, document: dict[str, Any]) -> None:
        ids = [
            operation["operationId"]
            for item in document["paths"].values()
            for method, operation in item.items()
            if method in HTTP_METHODS
        ]
        assert len(ids) == len(set(ids))

    def test_no_service_is_named_unavailable(self, document: dict[str, Any]) -> None:
        assert "x-unavailable-services" not in document["info"]


# The endpoints other systems rely on (docs/api.md, 客户端依赖的接口 and the second wave's Open311): each
# documents an example of its body and of its answer, so a client generator and a reader both have one.
CONTRACT_ENDPOINTS = [
    ("post", "/api/v1/auth/token"),
    ("get", "/api/v1/auth/me"),
    ("get", "/api/v1/units"),
    ("get", "/api/v1/users"),
    ("get", "/api/v1/campaigns"),
    ("get", "/api/v1/campaigns/{campaign_id}"),
    ("post", "/api/v1/campaigns/import"),
    ("get", "/api/v1/issues"),
    ("post", "/api/v1/issues"),
    ("get", "/api/v1/issues/{issue_id}"),
    ("patch", "/api/v1/issues/{issue_id}"),
    ("post", "/api/v1/issues/{issue_id}/assign"),
    ("post", "/api/v1/issues/{issue_id}/accept"),
    ("post", "/api/v1/issues/{issue_id}/return"),
    ("post", "/api/v1/issues/{issue_id}/progress"),
    ("post", "/api/v1/issues/{issue_id}/submit-completion"),
    ("post", "/api/v1/issues/{issue_id}/close"),
    ("post", "/api/v1/issues/{issue_id}/reject-completion"),
    ("post", "/api/v1/issues/{issue_id}/reopen"),
    ("post", "/api/v1/issues/{issue_id}/cancel"),
    ("post", "/api/v1/issues/{issue_id}/extension-requests"),
    ("post", "/api/v1/issues/{issue_id}/extension-requests/{extension_id}/decision"),
    ("post", "/api/v1/issues/{issue_id}/co-units/{unit_id}/accept"),
    ("post", "/api/v1/issues/{issue_id}/co-units/{unit_id}/contribution"),
    ("post", "/api/v1/issues/{issue_id}/urge"),
    ("post", "/api/v1/issues/{issue_id}/instructions"),
    ("get", "/api/v1/issues/{issue_id}/attachments"),
    ("post", "/api/v1/issues/{issue_id}/attachments"),
    ("get", "/api/v1/issues/{issue_id}/timeline"),
    ("post", "/api/v1/issues/import"),
    ("get", "/api/v1/events"),
    ("get", "/api/v1/audit/verify"),
    ("post", "/api/v1/public/submissions"),
    ("get", "/api/v1/public/submissions/{code}"),
    ("post", "/api/v1/public/submissions/{code}/feedback"),
    ("get", "/api/v1/intake"),
    ("post", "/api/v1/intake/{submission_id}/accept"),
    ("post", "/api/v1/intake/{submission_id}/merge"),
    ("post", "/api/v1/intake/{submission_id}/reject"),
    ("get", "/api/v1/notifications"),
    ("post", "/api/v1/notifications/{notification_id}/read"),
    ("get", "/api/v1/escalation-policies/{campaign_id}"),
    ("put", "/api/v1/escalation-policies/{campaign_id}"),
    ("get", "/api/v1/escalations"),
    ("post", "/api/v1/escalations/{escalation_id}/acknowledge"),
    ("get", "/api/v1/webhooks"),
    ("post", "/api/v1/webhooks"),
    ("get", "/api/v1/deliveries"),
    ("get", "/api/v1/calendar"),
    ("put", "/api/v1/calendar"),
    ("get", "/api/v1/reports/summary"),
    ("get", "/api/v1/reports/units"),
    ("get", "/api/v1/reports/trend"),
    ("get", "/api/v1/reports/categories"),
    ("get", "/api/v1/reports/overdue"),
    ("get", "/api/v1/reports/accountability"),
    ("post", "/api/v1/reports/meetings"),
    ("get", "/open311/v2/services.{fmt}"),
    ("get", "/open311/v2/services/{service_code}.{fmt}"),
    ("get", "/open311/v2/requests.{fmt}"),
    ("post", "/open311/v2/requests.{fmt}"),
    ("get", "/open311/v2/requests/{service_request_id}.{fmt}"),
    ("get", "/open311/v2/tokens/{token}.{fmt}"),
]
# A file upload's example would be the file itself.
FILE_BODIES = {"multipart/form-data"}
ERRORS = {"401", "403", "404", "409", "412", "413", "415", "422", "428", "429", "503"}


def _examples(document: dict[str, Any], media: dict[str, Any]) -> list[tuple[Any, dict[str, Any]]]:
    """The examples a media type shows, each with the schema it must satisfy: its own, else its schema's, else
    (a list or a page) those of the items."""
    schema = media.get("schema", {})
    if "example" in media:
        return [(media["example"], schema)]
    if "examples" in media:
        return [(e["value"], schema) for e in media["examples"].values()]
    return _schema_examples(document, schema)


def _schema_examples(document: dict[str, Any], schema: dict[str, Any]) -> list[tuple[Any, dict[str, Any]]]:
    resolved = _resolve(document, schema)
    if resolved.get("examples"):
        return [(example, schema) for example in resolved["examples"]]
    if "example" in resolved:
        return [(resolved["example"], schema)]
    items = resolved.get("items") if resolved.get("type") == "array" else resolved.get("properties", {}).get("items")
    return _schema_examples(document, items) if isinstance(items, dict) else []


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        if len(options) == 1:
            return _resolve(document, options[0])
    return schema


class TestContractEndpoints:
    def test_the_list_is_the_documented_one(self, document: dict[str, Any]) -> None:
        missing = [(m, p) for m, p in CONTRACT_ENDPOINTS if m not in document["paths"].get(p, {})]
        assert missing == []

    def test_each_shows_an_example_of_its_body_and_its_answer_that_its_schema_accepts(
        self, document: dict[str, Any]
    ) -> None:
        validator = jsonschema.Draft202012Validator
        registry = Registry().with_resource(
            "urn:openapi", Resource.from_contents(document, default_specification=DRAFT202012)
        )
        without, invalid = [], []
        for method, path in CONTRACT_ENDPOINTS:
            operation = document["paths"][path][method]
            media = [
                (f"{method} {path} body {kind}", content)
                for kind, content in operation.get("requestBody", {}).get("content", {}).items()
                if kind not in FILE_BODIES
            ]
            media += [
                (f"{method} {path} {status} {kind}", content)
                for status, answer in operation["responses"].items()
                if status.startswith("2")
                for kind, content in answer.get("content", {}).items()
                if "json" in kind
            ]
            for where, content in media:
                examples = _examples(document, content)
                if not examples:
                    without.append(where)
                for example, schema in examples:
                    bound = {**_relative(schema), "$schema": "https://json-schema.org/draft/2020-12/schema"}
                    errors = list(validator(bound, registry=registry).iter_errors(example))
                    if errors:
                        invalid.append(f"{where}: {errors[0].message}")
        assert (without, invalid) == ([], [])

    def test_each_documents_its_errors_as_problems(self, document: dict[str, Any]) -> None:
        """Every error an /api/v1 endpoint may answer (the token endpoint's are RFC 6749's) is problem+json."""
        wrong = [
            f"{method} {path} {status}"
            for method, path in CONTRACT_ENDPOINTS
            if path.startswith("/api/v1/") and path != "/api/v1/auth/token"
            for status, answer in document["paths"][path][method]["responses"].items()
            if status in ERRORS and "application/problem+json" not in answer.get("content", {})
        ]
        assert wrong == []


def _relative(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with its `#/components/...` references pointing into the document's resource."""
    text = json.dumps(schema).replace('"#/components/', '"urn:openapi#/components/')
    loaded: dict[str, Any] = json.loads(text)
    return loaded
