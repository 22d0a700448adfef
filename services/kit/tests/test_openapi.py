"""Every service's document names its operations for clients, declares the token scheme and its problem answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from fastapi import APIRouter

from rectify_kit.app import create_service_app
from rectify_kit.auth import CurrentPrincipal
from rectify_kit.errors import problem_responses
from rectify_kit.params import IsoDate
from rectify_kit.settings import ServiceSettings

router = APIRouter(prefix="/api/v1")


@router.get("/users", tags=["users"])
async def list_users(_: CurrentPrincipal, limit: int = 10) -> list[str]:
    return []


@router.post("/users/{user_id}/reset-password", tags=["users"], responses=problem_responses(404, 409))
async def reset_password(user_id: str, _: CurrentPrincipal) -> dict[str, str]:
    return {}


@router.get("/escalation-policies/{code}", tags=["escalation-policies"])
async def read_policy(code: str) -> dict[str, str]:
    return {}


@router.get("/pages", tags=["pages"])
async def list_pages(when: IsoDate | None = None, cursor: str | None = None) -> list[str]:
    return [when.isoformat()] if when else []


@router.post("/pages", tags=["pages"])
async def create_page(body: dict[str, str]) -> dict[str, str]:
    return body


@router.get("/things", tags=["things"], operation_id="things.chosenName")
async def whatever() -> dict[str, str]:
    return {}


async def _document(tmp_path: Path) -> dict[str, Any]:
    app = create_service_app(ServiceSettings(var_dir=tmp_path), title="demo", routers=[router], with_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        document: dict[str, Any] = (await client.get("/openapi.json")).json()
    return document


class TestOperationIds:
    async def test_are_the_tag_and_the_verb_without_the_tags_words(self, tmp_path: Path) -> None:
        paths = (await _document(tmp_path))["paths"]
        assert paths["/api/v1/users"]["get"]["operationId"] == "users.list"
        assert paths["/api/v1/users/{user_id}/reset-password"]["post"]["operationId"] == "users.resetPassword"
        assert paths["/api/v1/escalation-policies/{code}"]["get"]["operationId"] == "escalationPolicies.read"

    async def test_a_route_that_names_its_operation_keeps_the_name(self, tmp_path: Path) -> None:
        paths = (await _document(tmp_path))["paths"]
        assert paths["/api/v1/things"]["get"]["operationId"] == "things.chosenName"


class TestSecurityAndProblems:
    async def test_routes_that_need_a_token_declare_the_oauth2_scheme(self, tmp_path: Path) -> None:
        document = await _document(tmp_path)
        flows = document["components"]["securitySchemes"]["OAuth2"]["flows"]
        assert flows["password"]["tokenUrl"] == flows["clientCredentials"]["tokenUrl"] == "/api/v1/auth/token"
        assert document["paths"]["/api/v1/users"]["get"]["security"] == [{"OAuth2": []}]
        assert "security" not in document["paths"]["/api/v1/escalation-policies/{code}"]["get"]

    async def test_every_error_is_a_problem_and_secured_routes_list_401_and_503(self, tmp_path: Path) -> None:
        document = await _document(tmp_path)
        responses = document["paths"]["/api/v1/users/{user_id}/reset-password"]["post"]["responses"]
        assert {"401", "404", "409", "422", "503"} <= set(responses)
        for status, answer in responses.items():
            if status.startswith(("4", "5")):
                assert list(answer["content"]) == ["application/problem+json"], status
        assert "HTTPValidationError" not in document["components"]["schemas"]
        assert "401" not in document["paths"]["/api/v1/things"]["get"]["responses"]


class TestWebhooks:
    async def test_a_schema_only_a_webhook_names_is_kept(self, tmp_path: Path) -> None:
        app = create_service_app(ServiceSettings(var_dir=tmp_path), title="demo", routers=[router], with_database=False)

        @app.webhooks.post("thing.happened")
        async def thing_happened(body: dict[str, str]) -> None:
            """What a subscriber receives."""

        document = app.openapi()
        answer = document["webhooks"]["thing.happened"]["post"]["responses"]["422"]
        assert answer["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/HTTPValidationError"
        assert {"HTTPValidationError", "ValidationError"} <= set(document["components"]["schemas"])


class TestHonesty:
    async def test_a_405_allows_the_methods_of_every_route_of_the_path(self, tmp_path: Path) -> None:
        app = create_service_app(ServiceSettings(var_dir=tmp_path), title="demo", routers=[router], with_database=False)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            answer = await client.delete("/api/v1/pages")
        assert answer.status_code == 405
        assert answer.headers["allow"] == "GET, HEAD, POST"

    async def test_cursor_is_documented_as_the_opaque_string_it_is(self, tmp_path: Path) -> None:
        parameters = (await _document(tmp_path))["paths"]["/api/v1/pages"]["get"]["parameters"]
        cursor = next(p for p in parameters if p["name"] == "cursor")
        assert cursor["schema"]["pattern"] == "^[A-Za-z0-9_-]*$"

    async def test_a_body_can_be_unparseable_400_and_an_iso_date_is_only_yyyy_mm_dd(self, tmp_path: Path) -> None:
        document = await _document(tmp_path)
        assert "400" in document["paths"]["/api/v1/pages"]["post"]["responses"]
        app = create_service_app(ServiceSettings(var_dir=tmp_path), title="demo", routers=[router], with_database=False)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            assert (await client.get("/api/v1/pages", params={"when": "0"})).status_code == 422
            assert (await client.get("/api/v1/pages", params={"when": "2026-11-01"})).json() == ["2026-11-01"]
