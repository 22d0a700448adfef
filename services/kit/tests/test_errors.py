"""Every error is an RFC 9457 problem, titled in Chinese unless the client prefers English."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from pydantic import BaseModel

from rectify_kit.errors import Conflict, install_problem_handlers


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
