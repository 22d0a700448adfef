"""`POST /api/v1/issues` answered by PlainCreateRoute (a plain create on PostgreSQL, without FastAPI's dependency
solving) answers as the route as declared does: the same 201 and the same problem answers.

The declared route is reached with a content type the plain path leaves to it (`application/json;
charset=utf-8`, which FastAPI reads as JSON all the same), so each request is sent both ways and the answers
compared byte for byte (but for what differs per request: the new item's id, code and times, the request id).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx
import pytest
from fastapi.routing import iter_route_contexts
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from issues_api.ledger import plain_create, service
from issues_testing.ledger import LedgerWorld
from rectify_kit.direct import DirectRoutes

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.both_backends]

PLAIN = "application/json"
DECLARED = "application/json; charset=utf-8"
PER_REQUEST = ("x-request-id", "date", "content-length")


def body(world: LedgerWorld, **fields: Any) -> dict[str, Any]:
    plain = {"campaign_id": world.campaign_id, "title": "  窗口收费  ", "description": "d", "source": "inspection"}
    return plain | fields


async def send(
    world: LedgerWorld, content_type: str, content: bytes, headers: Mapping[str, str] | None
) -> httpx.Response:
    sent = {**(headers or {}), "Content-Type": content_type}
    return await world.client.post("/api/v1/issues", content=content, headers=sent)


def shown(response: httpx.Response) -> tuple[int, dict[str, str], Any]:
    """Status, headers and body of an answer, without what differs per request."""
    headers = {k: v for k, v in response.headers.items() if k not in PER_REQUEST}
    answer = response.json()
    if isinstance(answer, dict):
        answer.pop("request_id", None)
        if response.status_code == 201:
            for key in ("id", "code"):  # the clock is fixed: the times are the same
                assert answer.pop(key)
            headers["location"] = headers["location"].rsplit("/", 1)[0]
    return response.status_code, headers, answer


async def both_ways(
    world: LedgerWorld, content: bytes, headers: Mapping[str, str] | None
) -> tuple[httpx.Response, httpx.Response]:
    plain = await send(world, PLAIN, content, headers)
    declared = await send(world, DECLARED, content, headers)
    assert shown(plain) == shown(declared)
    return plain, declared


class TestPlainCreate:
    async def test_a_plain_create_answers_as_the_declared_route(
        self, world: LedgerWorld, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        plainly: list[str] = []
        register = service.register_plain_issue

        async def counted(*args: Any, **kwargs: Any) -> Any:
            record = await register(*args, **kwargs)
            plainly.append(record.id)
            return record

        monkeypatch.setattr(plain_create.service, "register_plain_issue", counted)
        content = json.dumps(body(world, category_id=world.category_id, city="330100")).encode()
        plain, declared = await both_ways(world, content, world.headers("office"))

        assert plain.status_code == 201
        assert plain.headers["location"] == f"/api/v1/issues/{plain.json()['id']}"
        assert plain.json()["title"] == "窗口收费"  # stripped, as the body model strips
        assert int(declared.json()["code"][-4:]) == int(plain.json()["code"][-4:]) + 1
        # Only PostgreSQL has the plain path; on SQLite both went the declared way.
        assert plainly == ([plain.json()["id"]] if world.database.is_postgres else [])
        read = await world.client.get(plain.headers["location"], headers=world.headers("office"))
        assert {k: v for k, v in read.json().items() if k in plain.json()} == plain.json()
        feed = await world.client.get(
            "/api/v1/events", params={"after": 0, "limit": 1000}, headers=world.headers("admin")
        )
        created = {e["subject_id"]: e for e in feed.json()["events"] if e["type"] == "issue.created"}
        assert created[plain.json()["id"]]["data"]["issue"]["code"] == plain.json()["code"]

    async def test_a_plain_create_is_answered_from_the_edge(
        self, world: LedgerWorld, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # Before the app's stack (DirectRoutes): a request it declines goes on into the stack with its body as it
        # came, and the declared route answers it the same (both_ways compares the two answers).
        directs = world.app.middleware_stack.app  # type: ignore[union-attr]
        assert isinstance(directs, DirectRoutes)
        stack: ASGIApp = directs.app
        entered: list[str] = []

        async def spying(scope: Scope, receive: Receive, send: Send) -> None:
            entered.append(Headers(scope=scope)["content-type"])
            await stack(scope, receive, send)

        monkeypatch.setattr(directs, "app", spying)
        content = json.dumps(body(world, category_id=world.category_id)).encode()
        plain, declared = await both_ways(world, content, world.headers("office"))
        assert (plain.status_code, declared.status_code) == (201, 201)
        assert entered == ([DECLARED] if world.database.is_postgres else [PLAIN, DECLARED])
        refused, _ = await both_ways(
            world, json.dumps(body(world, campaign_id="nope")).encode(), world.headers("office")
        )
        assert refused.status_code == 422

    @pytest.mark.parametrize(
        ("case", "fields"),
        [
            ("unknown campaign", {"campaign_id": "nope"}),
            ("unknown category", {"category_id": "nope"}),
            ("foreign phase", {"phase_id": "nope"}),
            ("unknown field", {"status": "closed"}),
            ("empty title", {"title": "   "}),
            ("unknown kind", {"kind": "gripe"}),
        ],
    )
    async def test_a_refused_body_is_the_same_422(self, world: LedgerWorld, case: str, fields: dict[str, Any]) -> None:
        plain, _ = await both_ways(world, json.dumps(body(world, **fields)).encode(), world.headers("office"))
        assert plain.status_code == 422, case

    @pytest.mark.parametrize("content", [b"", b"{", b"[]", b"null", b'{"title": NaN}'])
    async def test_a_body_that_is_no_object_is_the_same_422(self, world: LedgerWorld, content: bytes) -> None:
        plain, _ = await both_ways(world, content, world.headers("office"))
        assert plain.status_code == 422

    async def test_a_bad_body_without_a_token_is_the_same_answer(self, world: LedgerWorld) -> None:
        for content in (b"{", json.dumps({"title": "t"}).encode(), json.dumps(body(world)).encode()):
            plain, _ = await both_ways(world, content, None)
            assert plain.status_code in (401, 422)

    async def test_a_caller_who_may_not_create_gets_the_same_answer(self, world: LedgerWorld) -> None:
        content = json.dumps(body(world)).encode()
        for headers in (
            None,
            {"Authorization": "Bearer not-a-token"},
            world.headers("unit", "A"),
            world.headers("leader"),
            world.client_headers("issues:read"),
        ):
            plain, _ = await both_ways(world, content, headers)
            assert plain.status_code in (401, 403)


async def test_no_dependency_is_declared_above_the_create_route(world: LedgerWorld) -> None:
    # PlainCreateRoute answers without solving dependencies: one added to a router above it would be skipped.
    contexts = [c for c in iter_route_contexts(world.app.router.routes) if c.path_format == "/api/v1/issues"]
    create = next(c for c in contexts if c.methods == {"POST"})
    assert isinstance(create.original_route, plain_create.PlainCreateRoute)
    assert create.dependencies == []
