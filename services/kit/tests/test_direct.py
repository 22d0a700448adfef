"""Direct routes are answered from the edge as the app's stack would answer them, and only where they would be."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from pydantic import BaseModel
from starlette.types import ASGIApp, Receive, Scope, Send

from rectify_kit.app import create_service_app
from rectify_kit.direct import DirectRouteError, DirectRoutes, direct, direct_by, route_answered_by
from rectify_kit.errors import NotFound
from rectify_kit.settings import ServiceSettings


def items_router(calls: list[str]) -> APIRouter:
    router = APIRouter(prefix="/items")

    @router.get("/export")
    async def export() -> dict[str, str]:
        return {"export": "all"}

    @router.get("/{item_id}", summary="An item")
    @direct
    async def get_item(item_id: str, request: Request) -> Response:
        calls.append(item_id)
        if item_id == "missing":
            raise NotFound(f"item {item_id} not found")
        if item_id == "broken":
            raise RuntimeError("a bug")
        body = f'{{"id": "{item_id}", "path": "{request.url.path}"}}'
        return Response(body, media_type="application/json", headers={"ETag": '"1"'})

    return router


class OwnMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def make_app(tmp_path: Path, router: APIRouter) -> FastAPI:
    settings = ServiceSettings(service_name="demo-api", var_dir=tmp_path)
    return create_service_app(settings, title="demo", routers=[router], with_database=False)


def stack_of(app: FastAPI) -> ASGIApp:
    edge = app.build_middleware_stack()
    inner: ASGIApp = edge.app  # type: ignore[attr-defined]
    return inner


async def get(app: FastAPI, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get(path, headers={"X-Request-ID": "req-1"})


class TestDirectRoutes:
    async def test_answers_with_the_edge_headers_and_counts_by_template(self, tmp_path: Path) -> None:
        calls: list[str] = []
        app = make_app(tmp_path, items_router(calls))
        assert isinstance(stack_of(app), DirectRoutes)
        response = await get(app, "/items/a1")
        assert response.json() == {"id": "a1", "path": "/items/a1"}
        assert (response.headers["etag"], response.headers["x-request-id"]) == ('"1"', "req-1")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert calls == ["a1"]
        counted = app.state.metrics.requests.labels("demo-api", "GET", "/items/{item_id}", "200")
        assert counted._value.get() == 1

    async def test_a_domain_error_is_the_apps_problem_answer(self, tmp_path: Path) -> None:
        response = await get(make_app(tmp_path, items_router([])), "/items/missing")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"] == "item missing not found"
        assert response.headers["x-request-id"] == "req-1"

    async def test_an_unexpected_error_is_the_apps_500(self, tmp_path: Path) -> None:
        response = await get(make_app(tmp_path, items_router([])), "/items/broken")
        assert response.status_code == 500
        assert response.headers["content-type"] == "application/problem+json"
        assert "a bug" not in response.text
        assert response.headers["x-request-id"] == "req-1"

    async def test_an_earlier_routes_literal_path_stays_with_it(self, tmp_path: Path) -> None:
        calls: list[str] = []
        response = await get(make_app(tmp_path, items_router(calls)), "/items/export")
        assert (response.json(), calls) == ({"export": "all"}, [])

    async def test_other_paths_and_methods_go_through_the_stack(self, tmp_path: Path) -> None:
        calls: list[str] = []
        app = make_app(tmp_path, items_router(calls))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            assert (await client.post("/items/a1")).status_code == 405
            assert (await client.get("/items/a1/more")).status_code == 404
            assert (await client.get("/healthz")).status_code == 200
        assert calls == []


def declining_router(calls: list[str]) -> APIRouter:
    """`/things/{name}`: answered from the edge for `fast-…` names, by the declared endpoint (a dependency, a query
    parameter) for the rest."""
    router = APIRouter(prefix="/things")

    async def answer(request: Request, name: str) -> Response | None:
        calls.append(f"edge {name}")
        if not name.startswith("fast-"):
            return None
        return Response(f'{{"name": "{name}", "by": "edge"}}', media_type="application/json")

    async def caller(request: Request) -> str:
        assert "rectify.direct_declined" not in request.scope
        return request.headers.get("x-caller", "someone")

    @router.get("/{name}")
    @direct_by(answer)
    async def get_thing(name: str, who: str = Depends(caller), size: int = 1) -> dict[str, str | int]:  # noqa: FAST002
        calls.append(f"stack {name}")
        return {"name": name, "by": "stack", "who": who, "size": size}

    return router


class TestDecliningDirectRoutes:
    async def test_an_answer_is_the_edges_and_counted_by_template(self, tmp_path: Path) -> None:
        calls: list[str] = []
        app = make_app(tmp_path, declining_router(calls))
        response = await get(app, "/things/fast-1")
        assert (response.json(), response.headers["x-request-id"]) == ({"name": "fast-1", "by": "edge"}, "req-1")
        assert calls == ["edge fast-1"]
        counted = app.state.metrics.requests.labels("demo-api", "GET", "/things/{name}", "200")
        assert counted._value.get() == 1

    async def test_a_declined_request_goes_on_into_the_stack_as_it_came(self, tmp_path: Path) -> None:
        calls: list[str] = []
        app = make_app(tmp_path, declining_router(calls))
        response = await get(app, "/things/slow-1?size=3")
        assert response.json() == {"name": "slow-1", "by": "stack", "who": "someone", "size": 3}
        assert calls == ["edge slow-1", "stack slow-1"]
        invalid = await get(app, "/things/slow-2?size=big")  # the route's own 422, as without the edge
        assert invalid.status_code == 422
        assert invalid.headers["content-type"] == "application/problem+json"
        counted = app.state.metrics.requests.labels("demo-api", "GET", "/things/{name}", "200")
        assert counted._value.get() == 1

    async def test_an_error_in_the_answer_is_the_apps_problem(self, tmp_path: Path) -> None:
        router = APIRouter()

        async def answer(request: Request, item_id: str) -> Response | None:
            raise NotFound(f"item {item_id} not found")

        @router.get("/items/{item_id}")
        @direct_by(answer)
        async def get_item(item_id: str) -> dict[str, str]:
            return {"id": item_id}

        response = await get(make_app(tmp_path, router), "/items/gone")
        assert (response.status_code, response.json()["detail"]) == (404, "item gone not found")


class TestRefusedDirectRoutes:
    def test_an_answer_taking_other_parameters(self, tmp_path: Path) -> None:
        router = APIRouter()

        async def answer(request: Request) -> Response | None:
            return None

        @router.get("/items/{item_id}")
        @direct_by(answer)
        async def get_item(item_id: str) -> dict[str, str]:
            return {"id": item_id}

        with pytest.raises(DirectRouteError, match="request and its path's parameters only"):
            make_app(tmp_path, router).build_middleware_stack()

    def test_an_answer_for_a_route_other_than_get(self, tmp_path: Path) -> None:
        router = APIRouter()

        async def answer(request: Request, item_id: str) -> Response | None:
            return None

        @router.put("/items/{item_id}")
        @direct_by(answer)
        async def put_item(item_id: str) -> dict[str, str]:
            return {"id": item_id}

        with pytest.raises(DirectRouteError, match="only GET"):
            make_app(tmp_path, router).build_middleware_stack()

    def test_an_earlier_route_taking_its_paths(self, tmp_path: Path) -> None:
        router = APIRouter()

        @router.get("/items/{name}")
        async def by_name(name: str) -> dict[str, str]:
            return {"name": name}

        @router.get("/items/{item_id}")
        @direct
        async def by_id(item_id: str, request: Request) -> Response:
            return Response()

        with pytest.raises(DirectRouteError, match=r"earlier route /items/\{name\}"):
            make_app(tmp_path, router).build_middleware_stack()

    def test_a_route_other_than_get(self, tmp_path: Path) -> None:
        router = APIRouter()

        @router.post("/items/{item_id}")
        @direct
        async def post_item(item_id: str, request: Request) -> Response:
            return Response()

        with pytest.raises(DirectRouteError, match="only GET"):
            make_app(tmp_path, router).build_middleware_stack()

    def test_an_endpoint_with_dependencies(self, tmp_path: Path) -> None:
        router = APIRouter()

        async def dependency() -> str:
            return "x"

        @router.get("/items/{item_id}")
        @direct
        async def get_item(item_id: str, request: Request, extra: str = Depends(dependency)) -> Response:  # noqa: FAST002
            return Response(extra)

        with pytest.raises(DirectRouteError, match="request and its path's parameters only"):
            make_app(tmp_path, router).build_middleware_stack()

    def test_an_app_with_middleware_of_its_own(self, tmp_path: Path) -> None:
        app = make_app(tmp_path, items_router([]))
        app.add_middleware(OwnMiddleware)
        with pytest.raises(DirectRouteError, match="middleware"):
            app.build_middleware_stack()


class TestRoutesAnsweredFirst:
    """`route_answered_by`: inside the app, a route's `answer` first, the route as declared when it declines."""

    @staticmethod
    def router(calls: list[str]) -> APIRouter:
        async def answer(request: Request) -> Response | None:
            calls.append("answer")
            if request.query_params.get("size") != "plain":
                return None
            return Response('{"by": "answer"}', media_type="application/json")

        async def caller(request: Request) -> str:
            calls.append("dependency")
            return "someone"

        async def post_thing(who: str = Depends(caller), size: int = 1) -> dict[str, str | int]:
            calls.append("declared")
            return {"by": "declared", "who": who, "size": size}

        router = APIRouter()
        router.add_api_route("/things", post_thing, methods=["POST"], route_class_override=route_answered_by(answer))
        return router

    async def post(self, tmp_path: Path, calls: list[str], query: str) -> httpx.Response:
        app = make_app(tmp_path, self.router(calls))
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.post(f"/things?{query}")

    async def test_an_answer_needs_no_dependency(self, tmp_path: Path) -> None:
        calls: list[str] = []
        response = await self.post(tmp_path, calls, "size=plain")
        assert (response.status_code, response.json(), calls) == (200, {"by": "answer"}, ["answer"])

    async def test_a_declined_request_is_solved_as_declared(self, tmp_path: Path) -> None:
        calls: list[str] = []
        response = await self.post(tmp_path, calls, "size=3")
        assert (response.json(), calls) == (
            {"by": "declared", "who": "someone", "size": 3},
            ["answer", "dependency", "declared"],
        )
        bad = await self.post(tmp_path, [], "size=many")
        assert (bad.status_code, bad.json()["code"]) == (422, "validation-error")


class Note(BaseModel):
    text: str
    size: int = 1


class TestPostedDirectRoutes:
    """A POST route answered from the edge by `direct_by(answer)`: the body read whole there, and given to the
    stack again, message by message, when `answer` declines."""

    @staticmethod
    def router(calls: list[str], **route: Any) -> APIRouter:
        async def answer(request: Request) -> Response | None:
            note = json.loads(await request.body())
            calls.append(f"edge {note['text']}")
            if note["text"] != "plain":
                return None
            return Response('{"by": "edge"}', status_code=201, media_type="application/json")

        @direct_by(answer)
        async def post_note(note: Note) -> dict[str, str | int]:
            calls.append(f"stack {note.text}")
            return {"by": "stack", "text": note.text, "size": note.size}

        router = APIRouter()
        router.add_api_route("/notes", post_note, methods=["POST"], status_code=201, **route)
        return router

    @staticmethod
    async def post(app: FastAPI, content: bytes | list[bytes]) -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            if isinstance(content, list):  # sent as that many body messages

                async def chunks() -> AsyncIterator[bytes]:
                    for chunk in content:
                        yield chunk

                return await client.post("/notes", content=chunks(), headers={"Content-Type": "application/json"})
            return await client.post("/notes", content=content, headers={"Content-Type": "application/json"})

    async def test_an_answer_is_the_edges_and_counted_by_template(self, tmp_path: Path) -> None:
        calls: list[str] = []
        app = make_app(tmp_path, self.router(calls))
        response = await self.post(app, b'{"text": "plain"}')
        assert (response.status_code, response.json(), calls) == (201, {"by": "edge"}, ["edge plain"])
        counted = app.state.metrics.requests.labels("demo-api", "POST", "/notes", "201")
        assert counted._value.get() == 1

    async def test_a_declined_request_reaches_the_route_with_its_body_as_it_came(self, tmp_path: Path) -> None:
        calls: list[str] = []
        app = make_app(tmp_path, self.router(calls))
        response = await self.post(app, [b'{"text": "sl', b'ow", "si', b'ze": 3}'])
        assert (response.status_code, response.json()) == (201, {"by": "stack", "text": "slow", "size": 3})
        assert calls == ["edge slow", "stack slow"]
        invalid = await self.post(app, b'{"text": "other", "size": "big"}')  # the route's own 422
        assert (invalid.status_code, invalid.json()["code"]) == (422, "validation-error")
        assert calls[2:] == ["edge other"]

    def test_a_limit_on_the_bodys_size_is_refused(self, tmp_path: Path) -> None:
        app = make_app(tmp_path, self.router([], max_body_size=1024))
        with pytest.raises(DirectRouteError, match="limit on its body's size"):
            app.build_middleware_stack()
        app = make_app(tmp_path, self.router([]))
        app.max_body_size = 1024
        with pytest.raises(DirectRouteError, match="limit on its body's size"):
            app.build_middleware_stack()
