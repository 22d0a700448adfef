"""The app is wired: every domain's routes answer, and the OpenAPI document names the contract's paths."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from issues_api.config import Settings, TokenSettings
from issues_api.main import create_app
from rectify_kit.clock import FixedClock
from rectify_kit.direct import DirectRoutes
from rectify_kit.testing import sqlite_test_url

CONTRACT_PATHS = [
    "/api/v1/auth/token",
    "/api/v1/auth/me",
    "/api/v1/units",
    "/api/v1/users",
    "/api/v1/clients",
    "/api/v1/campaigns",
    "/api/v1/campaigns/{campaign_id}",
    "/api/v1/campaigns/import",
    "/api/v1/issues",
    "/api/v1/issues/{issue_id}",
    "/api/v1/events",
    "/api/v1/audit/verify",
    "/api/v1/public/submissions",
    "/api/v1/public/submissions/{code}",
    "/api/v1/public/submissions/{code}/feedback",
    "/api/v1/intake",
    "/api/v1/intake/{submission_id}/accept",
    "/api/v1/intake/{submission_id}/merge",
    "/api/v1/intake/{submission_id}/reject",
    "/.well-known/jwks.json",
]


async def served_document(settings: Settings) -> dict[str, Any]:
    app = create_app(settings)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
            document: dict[str, Any] = (await http.get("/openapi.json")).json()
            return document
    finally:
        await app.state.database.dispose()


@pytest.fixture(scope="module")
def document(key_file: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The OpenAPI document the app serves, asked once for the module's tests that read it (building it takes
    some 0.4 s of CPU): no database is opened to build or serve it."""
    var_dir = tmp_path_factory.mktemp("openapi")
    settings = Settings(
        var_dir=var_dir,
        database_url=sqlite_test_url(var_dir, "unused"),
        log_json=False,
        tokens=TokenSettings(private_key_file=key_file),
    )
    return asyncio.run(served_document(settings))


class TestWiring:
    def test_every_route_is_the_first_to_match_its_own_paths(self, app: FastAPI) -> None:
        """Routes are tried in order (api.py puts the busiest first): none may take another's paths, as
        /api/v1/issues/{issue_id}/assign would take /api/v1/issues/batch/assign if the ledger came first."""
        routes = [r for r in iter_route_contexts(app.router.routes) if r.methods]
        taken = []
        for route in routes:
            path = re.sub(r"{(\w+)(:\w+)?}", lambda m: f"some-{m.group(1)}", route.path_format or "")
            for method in route.methods or ():
                first = next(r for r in routes if method in (r.methods or ()) and r.path_regex.match(path))
                if first.path_format != route.path_format:
                    taken.append(f"{method} {path}: {first.path_format}")
        assert len(routes) > 100
        assert taken == []

    def test_the_direct_routes_are_answered_from_the_edge(self, app: FastAPI) -> None:
        """GET /api/v1/issues, its plain create (POST), GET /api/v1/issues/{issue_id}, the workflow steps answering
        the issue and the public tracking page are direct routes (rectify_kit.direct), the read by id's literal
        neighbours kept."""
        direct = app.build_middleware_stack().app  # type: ignore[attr-defined]
        assert isinstance(direct, DirectRoutes)
        routes = [(d.method, getattr(d.route, "path", None)) for d in direct.routes]
        steps = [path for method, path in routes if method == "POST" and path and path.startswith("/{issue_id}/")]
        assert [route for route in routes if route[1] not in steps] == [
            ("GET", "/api/v1/issues"),
            ("POST", "/api/v1/issues"),
            ("GET", "/api/v1/issues/{issue_id}"),
            ("GET", "/public/submissions/{code}"),
        ]
        assert len(steps) == 16
        assert {"/{issue_id}/assign", "/{issue_id}/co-units/{unit_id}/waive"} <= set(steps)
        assert "/{issue_id}/extension-requests" not in steps  # it answers the request made, not the issue
        assert {"/api/v1/issues/workflow", "/api/v1/issues/saved-views"} <= direct.routes[2].taken_by_earlier

    def test_openapi_lists_every_contract_path(self, document: dict[str, Any]) -> None:
        paths = document["paths"]
        assert [p for p in CONTRACT_PATHS if p not in paths] == []

    def test_operations_are_named_for_clients_and_unique(self, document: dict[str, Any]) -> None:
        paths = document["paths"]
        ids = [op["operationId"] for item in paths.values() for op in item.values()]
        assert len(ids) == len(set(ids))
        assert paths["/api/v1/issues"]["get"]["operationId"] == "issues.list"
        assert paths["/api/v1/issues/{issue_id}/assign"]["post"]["operationId"] == "issues.assign"
        assert paths["/api/v1/issues/{issue_id}"]["patch"]["operationId"] == "issues.update"
        assert paths["/api/v1/units/{unit_id}"]["get"]["operationId"] == "units.get"

    def test_contract_operations_of_the_ledger_and_directory_have_examples(self, document: dict[str, Any]) -> None:
        schemas = document["components"]["schemas"]

        def example_of(content: dict[str, Any]) -> Any:
            schema = content.get("schema", {})
            # an optional body is anyOf [the body, null]: its example is the body's
            schema = next((s for s in schema.get("anyOf", []) if "$ref" in s), schema)
            ref = schema.get("$ref") or schema.get("items", {}).get("$ref", "")
            target = schemas.get(ref.rsplit("/", 1)[-1], schema) if ref else schema
            return target.get("examples") or [
                p["examples"] for p in target.get("properties", {}).values() if "examples" in p
            ]

        missing = []
        for path, item in document["paths"].items():
            if not path.startswith(("/api/v1/issues", "/api/v1/units", "/api/v1/users", "/api/v1/clients")):
                continue
            for method, operation in item.items():
                body = operation.get("requestBody", {}).get("content", {}).get("application/json")
                if body is not None and not example_of(body):
                    missing.append(f"{method} {path} body")
        assert missing == []
        assert schemas["IssueDetail"]["examples"][0]["code"] == "YS-2017-0042"

    async def test_the_clock_of_the_app_is_the_one_routes_use(self, app: FastAPI, client: httpx.AsyncClient) -> None:
        app.state.clock = FixedClock(datetime(2030, 5, 1, 1, 0, tzinfo=UTC))
        created = await client.post("/api/v1/public/submissions", json={"title": "t", "content": "c"})
        page = await client.get(f"/api/v1/public/submissions/{created.json()['tracking_code']}")
        assert page.json()["submitted_at"].startswith("2030-05-01T01:00")

    async def test_problems_are_rfc9457_in_english_on_request(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/v1/units", headers={"Accept-Language": "en"})
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["title"] == "Not authenticated"
