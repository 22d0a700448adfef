"""The workflow steps answered from the edge (step_answers.py) answer as their routes as declared do.

The declared route is reached with a content type the edge leaves to it (`application/json; charset=utf-8`,
which FastAPI reads as JSON all the same). A step changes its issue, so each is taken on two issues in the same
state, one each way, and the answers compared byte for byte but for what differs per issue (its id, code and
title, the request id).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi.routing import iter_route_contexts
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from issues_testing.ledger import LedgerWorld
from rectify_kit.direct import DirectRoutes

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.both_backends]

PLAIN = "application/json"
DECLARED = "application/json; charset=utf-8"
PER_REQUEST = ("x-request-id", "date", "content-length")
PER_ISSUE = ("id", "code", "title")


async def send(
    world: LedgerWorld, issue_id: str, path: str, content_type: str | None, content: bytes, headers: Any
) -> httpx.Response:
    sent = {**(headers or {}), **({"Content-Type": content_type} if content_type else {})}
    return await world.client.post(f"/api/v1/issues/{issue_id}/{path}", content=content, headers=sent)


def shown(response: httpx.Response) -> tuple[int, dict[str, str], Any]:
    """Status, headers and body of an answer, without what differs per request and per issue."""
    headers = {k: v for k, v in response.headers.items() if k not in PER_REQUEST}
    answer = response.json()
    if isinstance(answer, dict):
        answer.pop("request_id", None)
        for key in PER_ISSUE:
            answer.pop(key, None)
        issue_id = response.request.url.path.split("/")[4]
        answer = {k: v.replace(issue_id, "<id>") if isinstance(v, str) else v for k, v in answer.items()}
    return response.status_code, headers, answer


async def both_ways(
    world: LedgerWorld, status: str, path: str, content: bytes, headers: Any, *, plain: str | None = PLAIN
) -> tuple[httpx.Response, dict[str, Any]]:
    """The step on two issues in `status`: from the edge on the first, by the declared route on the second; the
    edge's answer and its issue as the office read it before."""
    first, second = await world.issue_in(status), await world.issue_in(status)
    edge = await send(world, first["id"], path, plain, content, headers)
    declared = await send(world, second["id"], path, DECLARED, content, headers)
    assert shown(edge) == shown(declared)
    return edge, first


@pytest.fixture
def entered(world: LedgerWorld, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The content types of the requests that went past the edge into the app's stack."""
    if world.app.middleware_stack is None:  # built on the app's first request
        world.app.middleware_stack = world.app.build_middleware_stack()
    directs = world.app.middleware_stack.app  # type: ignore[attr-defined]
    assert isinstance(directs, DirectRoutes)
    stack: ASGIApp = directs.app
    seen: list[str] = []

    async def spying(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(Headers(scope=scope).get("content-type", ""))
        await stack(scope, receive, send)

    monkeypatch.setattr(directs, "app", spying)
    return seen


def assignment(world: LedgerWorld, **fields: Any) -> bytes:
    plain = {"lead_unit_id": world.units["A"], "co_unit_ids": [world.units["B"]], "deadline": "2026-12-31"}
    return json.dumps(plain | fields).encode()


class TestStepsFromTheEdge:
    async def test_a_step_is_answered_from_the_edge_as_the_declared_route_answers(
        self, world: LedgerWorld, entered: list[str]
    ) -> None:
        edge, _ = await both_ways(world, "registered", "assign", assignment(world), world.headers("office"))
        assert edge.status_code == 200
        assert edge.json()["status"] == "assigned"
        assert entered == [DECLARED]  # the edge's request never went into the stack
        read = await world.client.get(f"/api/v1/issues/{edge.json()['id']}", headers=world.headers("office"))
        assert read.json() == edge.json()

    async def test_every_kind_of_step_answers_the_same(self, world: LedgerWorld, entered: list[str]) -> None:
        unit, office = world.headers("unit", "A"), world.headers("office")
        b = world.units["B"]
        cases = [
            ("assigned", "accept", b'{"note": "\xe5\xb7\xb2\xe6\x94\xb6\xe5\x88\xb0"}', unit),
            ("assigned", "return", b'{"reason_code": "other", "reason": "r"}', unit),
            ("in_progress", "progress", b'{"percent": 40, "content": "c"}', unit),
            ("pending_review", "close", b'{"comment": "ok"}', office),
            ("closed", "reopen", b'{"reason": "again"}', office),
        ]
        for status, path, content, headers in cases:
            edge, _ = await both_ways(world, status, path, content, headers)
            assert edge.status_code == 200, (path, edge.text)
        assert entered == [DECLARED] * len(cases)
        # A step that takes no body is answered from the edge whatever the request's content type.
        edge, _ = await both_ways(world, "in_progress", f"co-units/{b}/waive", b"", office)
        assert edge.status_code == 200
        assert entered == [DECLARED] * len(cases)

    async def test_an_optional_body_may_be_left_out(self, world: LedgerWorld, entered: list[str]) -> None:
        # As FastAPI takes it: absent, whatever the content type says (so both are answered from the edge).
        edge, _ = await both_ways(world, "assigned", "accept", b"", world.headers("unit", "A"), plain=None)
        assert edge.status_code == 200
        assert edge.json()["status"] == "in_progress"
        assert entered == []

    @pytest.mark.parametrize(
        ("case", "content"),
        [
            ("no lead unit", json.dumps({"deadline": "2026-12-31"}).encode()),
            ("not an object", b"[]"),
            ("not JSON", b"{"),
            ("no body", b""),
        ],
    )
    async def test_a_body_the_edge_cannot_take_goes_to_the_route(
        self, world: LedgerWorld, entered: list[str], case: str, content: bytes
    ) -> None:
        edge, _ = await both_ways(world, "registered", "assign", content, world.headers("office"))
        assert edge.status_code == 422, case
        assert entered == [PLAIN, DECLARED]

    async def test_a_refused_step_is_the_same_problem_and_writes_nothing(
        self, world: LedgerWorld, entered: list[str]
    ) -> None:
        office = world.headers("office")
        cases = [
            ("registered", "assign", assignment(world, lead_unit_id="nope"), office, 422),
            ("closed", "assign", assignment(world), office, 409),
            ("assigned", "accept", b"{}", world.headers("unit", "B"), 403),
            ("registered", "assign", assignment(world), world.headers("unit", "A"), 404),
            ("registered", "assign", assignment(world), None, 401),
        ]
        for status, path, content, headers, expected in cases:
            edge, before = await both_ways(world, status, path, content, headers)
            assert edge.status_code == expected, (path, edge.text)
            after = await world.client.get(f"/api/v1/issues/{before['id']}", headers=office)
            assert after.json() == before
        assert entered == [DECLARED] * len(cases)


async def test_no_dependency_is_declared_above_the_step_routes(world: LedgerWorld) -> None:
    # The edge gives a step's endpoint its arguments itself: a dependency added to a router above it would be skipped.
    steps = [c for c in iter_route_contexts(world.app.router.routes) if "/{issue_id}/" in (c.path_format or "")]
    posted = [c for c in steps if c.methods == {"POST"}]
    assert len(posted) >= 15
    assert all(c.dependencies == [] for c in posted)
