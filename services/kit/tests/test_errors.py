"""Every error is an RFC 9457 problem, titled in Chinese unless the client prefers English."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from rectify_kit.errors import Conflict, ProblemError, install_problem_handlers, prefers_english, problem_responses


class Body(BaseModel):
    percent: int


def make_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/things")
    async def create(body: Body) -> dict[str, int]:
        return {"percent": body.percent}

    @app.post("/conflict")
    async def conflict() -> None:
        raise Conflict("not now", current_status="closed")

    return app


async def request(method: str, path: str, **kwargs: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=make_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.request(method, path, **kwargs)  # type: ignore[arg-type]


class TestProblems:
    async def test_domain_error_renders_problem_with_extra_fields(self) -> None:
        response = await request("POST", "/conflict")
        assert response.status_code == 409
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["title"] == "状态冲突"
        assert body["current_status"] == "closed"
        assert body["type"].endswith("/conflict")

    async def test_english_title_when_client_prefers_english(self) -> None:
        response = await request("POST", "/conflict", headers={"Accept-Language": "en-US,en;q=0.9"})
        assert response.json()["title"] == "Conflict"

    async def test_validation_error_names_the_field(self) -> None:
        response = await request("POST", "/things", json={"percent": "many"})
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["percent"]

    async def test_unknown_route_is_a_problem_too(self) -> None:
        response = await request("GET", "/nowhere")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


def make_failing_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    @app.get("/teapot")
    async def teapot() -> None:
        raise ProblemError("short and stout", status=418, code="teapot", title_en="Teapot", headers={"X-Why": "tea"})

    return app


class TestUnexpectedAndCustomErrors:
    async def test_unexpected_exception_is_a_500_problem_without_internals(self) -> None:
        transport = httpx.ASGITransport(app=make_failing_app(), raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            response = await client.get("/boom")
        assert response.status_code == 500
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "internal-error"
        assert "secret internals" not in response.text

    async def test_custom_status_code_title_and_headers_are_kept(self) -> None:
        transport = httpx.ASGITransport(app=make_failing_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            response = await client.get("/teapot", headers={"Accept-Language": "en"})
        assert (response.status_code, response.json()["code"], response.json()["title"]) == (418, "teapot", "Teapot")
        assert response.json()["detail"] == "short and stout"
        assert response.headers["x-why"] == "tea"

    async def test_wrong_method_is_a_405_problem(self) -> None:
        response = await request("DELETE", "/things")
        assert response.status_code == 405
        assert response.json()["title"] == "不支持该方法"


class TestPrefersEnglish:
    @pytest.mark.parametrize(
        ("header", "english"),
        [(None, False), ("en", True), ("zh-CN,zh;q=0.9,en;q=0.8", False), ("en-GB,zh;q=0.5", True), ("fr", False)],
    )
    def test_ranks_the_first_known_language(self, header: str | None, english: bool) -> None:
        assert prefers_english(header) is english


def test_problem_responses_document_the_problem_schema() -> None:
    documented = problem_responses(404, 409)
    assert set(documented) == {404, 409}
    assert documented[404]["content"]["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
