"""`/api/v1/openapi.json` merges the services' documents into one sound document; `/docs` renders it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from fastapi import FastAPI

from gateway.openapi_gateway import add_gateway_answers
from gateway.openapi_merge import dangling_refs, merge_documents

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}


def _schema_ref(document: dict[str, Any], path: str) -> str:
    content = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    ref: str = content["schema"]["items"]["$ref"]
    return ref


def _assert_sound(document: dict[str, Any]) -> None:
    """What a validator would check first: version, info, operations with responses, refs, unique ids."""
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"]
    assert document["info"]["version"]
    operation_ids: list[str] = []
    for path, item in document["paths"].items():
        assert path.startswith("/")
        for method, operation in item.items():
            if method in HTTP_METHODS:
                assert operation["responses"], f"{method} {path} has no responses"
                operation_ids.append(operation["operationId"])
    assert len(operation_ids) == len(set(operation_ids))
    assert dangling_refs(document) == []


class TestMergedDocument:
    async def test_paths_of_all_services_and_clashing_schemas_kept_apart(self, gateway: httpx.AsyncClient) -> None:
        answer = await gateway.get("/api/v1/openapi.json")
        assert answer.status_code == 200
        document = answer.json()
        _assert_sound(document)
        paths = document["paths"]
        assert {"/api/v1/issues/items", "/api/v1/notifications/items", "/api/v1/reports/items"} <= set(paths)
        assert "/healthz" in paths
        # A service's catch-all or own health paths are not reachable through the gateway: left out.
        assert "/{path}" not in paths
        schemas = document["components"]["schemas"]
        refs = {
            _schema_ref(document, f"{p}/items") for p in ("/api/v1/issues", "/api/v1/notifications", "/api/v1/reports")
        }
        assert refs == {
            "#/components/schemas/Item",
            "#/components/schemas/Notify_Item",
            "#/components/schemas/Report_Item",
        }
        assert "issues_field" in schemas["Item"]["properties"]
        assert "notify_field" in schemas["Notify_Item"]["properties"]
        # Identical definitions are kept once.
        assert "HTTPValidationError" in schemas
        assert not any(name.endswith("_HTTPValidationError") for name in schemas)
        assert "x-unavailable-services" not in document["info"]

    async def test_a_service_that_is_down_is_left_out_and_named(self, make_gateway: Callable[..., FastAPI]) -> None:
        app = make_gateway(report_url="http://127.0.0.1:9")
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw.test") as client:
            document = (await client.get("/api/v1/openapi.json")).json()
        await app.state.upstreams.close()
        assert document["info"]["x-unavailable-services"] == ["report-api"]
        assert "/api/v1/issues/items" in document["paths"]
        assert "/api/v1/reports/items" not in document["paths"]
        _assert_sound(document)

    async def test_docs_render_the_merged_document(self, gateway: httpx.AsyncClient) -> None:
        answer = await gateway.get("/docs")
        assert answer.status_code == 200
        assert "swagger-ui" in answer.text
        start = await gateway.get("/docs/start.js")
        assert "/api/v1/openapi.json" in start.text


class TestMergeRules:
    def test_references_inside_renamed_and_kept_components_follow_the_rename(self) -> None:
        def service(field: str) -> dict[str, Any]:
            return {
                "openapi": "3.1.0",
                "paths": {},
                "components": {
                    "schemas": {
                        "Detail": {"type": "object", "properties": {field: {"type": "string"}}},
                        "Page": {"type": "object", "properties": {"items": {"$ref": "#/components/schemas/Detail"}}},
                        "Only" + field: {"$ref": "#/components/schemas/Page"},
                    }
                },
            }

        own = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
        merged = merge_documents(own, {"issues-api": service("a"), "notify-api": service("b")})
        schemas = merged["components"]["schemas"]
        assert set(schemas) == {"Detail", "Page", "Onlya", "Notify_Detail", "Notify_Page", "Onlyb"}
        assert schemas["Notify_Page"]["properties"]["items"]["$ref"] == "#/components/schemas/Notify_Detail"
        assert schemas["Onlyb"]["$ref"] == "#/components/schemas/Notify_Page"
        assert schemas["Onlya"]["$ref"] == "#/components/schemas/Page"
        assert dangling_refs(merged) == []

    def test_notify_apis_webhooks_section_is_kept_with_its_references(self) -> None:
        event = {"type": "object", "properties": {"id": {"type": "string"}}}
        hook = {
            "post": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}}}
            }
        }
        notify = {
            "openapi": "3.1.0",
            "paths": {},
            "webhooks": {"issue.*": hook},
            "components": {"schemas": {"Event": event}},
        }
        issues = {"openapi": "3.1.0", "paths": {}, "components": {"schemas": {"Event": {"type": "string"}}}}
        own = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
        merged = merge_documents(own, {"issues-api": issues, "notify-api": notify})
        body = merged["webhooks"]["issue.*"]["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert body["$ref"] == "#/components/schemas/Notify_Event"
        assert dangling_refs(merged) == []

    def test_dangling_refs_are_found(self) -> None:
        document = {"paths": {"/x": {"get": {"responses": {"200": {"$ref": "#/components/responses/Nope"}}}}}}
        assert dangling_refs(document) == ["#/components/responses/Nope"]


class TestGatewayAnswers:
    def _document(self) -> dict[str, Any]:
        ok = {"200": {"description": "ok"}}
        scheme = {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/api/v1/auth/token", "scopes": {}}}}
        return {
            "paths": {
                "/api/v1/issues": {"get": {"tags": ["issues"], "responses": dict(ok)}},
                "/api/v1/public/submissions": {
                    "post": {"tags": ["public"], "requestBody": {"content": {}}, "responses": dict(ok)}
                },
                "/api/v1/public/submissions/{code}": {"get": {"tags": ["public"], "responses": dict(ok)}},
            },
            "components": {"securitySchemes": {"OAuth2": scheme}},
        }

    def test_limits_tokens_bodies_and_upstream_failures_are_documented_where_they_happen(self) -> None:
        document = add_gateway_answers(self._document(), max_body_bytes=1000)
        paths = document["paths"]
        assert {"401", "429", "502", "503", "504"} <= set(paths["/api/v1/issues"]["get"]["responses"])
        public_post = paths["/api/v1/public/submissions"]["post"]["responses"]
        assert {"413", "429"} <= set(public_post)
        assert "401" not in public_post
        public_read = paths["/api/v1/public/submissions/{code}"]["get"]["responses"]
        assert not {"401", "429"} & set(public_read)
        assert public_read["503"]["content"] == {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        }

    def test_scopes_and_the_areas_are_named(self) -> None:
        document = add_gateway_answers(self._document(), max_body_bytes=1000)
        scopes = document["components"]["securitySchemes"]["OAuth2"]["flows"]["clientCredentials"]["scopes"]
        assert {"issues:act", "webhooks:manage", "events:read"} <= set(scopes)
        assert [tag["name"] for tag in document["tags"]] == ["issues", "public"]
