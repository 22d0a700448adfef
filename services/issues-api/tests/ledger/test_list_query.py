"""The list's query read by hand (`list_params.parse_list_query`) when each parameter is plainly valid: the same
filters, page and answer as FastAPI's solving of the route's parameters, answered from the edge
(`rectify_kit.direct`); anything else goes on into the app's stack for FastAPI to read and answer, its 422
included."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from starlette.datastructures import QueryParams
from starlette.types import ASGIApp, Receive, Scope, Send

from issues_api.ledger import router as ledger_router
from issues_api.ledger.list_params import ListQuery, parse_list_query
from issues_testing.ledger import LedgerWorld
from rectify_kit.direct import DirectRoutes
from rectify_kit.pagination import encode_cursor

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.both_backends]


def plain_queries(world: LedgerWorld) -> list[str]:
    unit_b, category = world.units["B"], world.category_id
    return [
        "",
        "status=in_progress&limit=20",
        "status=assigned&status=in_progress&sort=deadline&limit=5",
        "open=true&sort=urgency&offset=1&limit=3",
        "open=false&overdue=false&sort=-code&limit=4",
        "q=%20query-shape%20&limit=200",
        "q=&cursor=",
        f"campaign_id=&unit_id={unit_b}&to_accept=true",
        "deadline_from=2020-01-01&deadline_to=2099-12-31&extension_pending=false&rework=false&mine=false",
        f"source=public&category_id={category}&phase_id=none",
        "limit=2&limit=7&offset=0",
        "limit=020&unknown=yes",
        "q=%E6%95%B4%E6%94%B9+query-shape&overdue=true&mine=true",
        "sort=updated_at&" + urlencode({"cursor": encode_cursor(["2000-01-01T00:00:00+00:00", "x"])}),
    ]


class Recorded:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.queries: list[ListQuery] = []
        page = ledger_router._list_page

        async def recording(connection: Any, query: ListQuery, **rest: Any) -> Any:
            self.queries.append(query)
            return await page(connection, query, **rest)

        monkeypatch.setattr(ledger_router, "_list_page", recording)


async def test_a_plain_query_is_read_and_answered_as_fastapi_reads_it(
    world: LedgerWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    for status in ("in_progress", "assigned", "registered"):
        await world.issue_in(status, co_units=("B", "C"), title=f"query-shape {status}")
    recorded = Recorded(monkeypatch)
    queries = plain_queries(world)
    fast = [await world.client.get(f"/api/v1/issues?{q}", headers=world.headers("office")) for q in queries]
    read_by_hand = list(recorded.queries)
    monkeypatch.setattr(ledger_router, "parse_list_query", lambda _: None)
    recorded.queries.clear()
    solved = [await world.client.get(f"/api/v1/issues?{q}", headers=world.headers("office")) for q in queries]
    assert [r.status_code for r in fast] == [200] * len(queries), [r.text for r in fast if r.status_code != 200]
    assert read_by_hand == recorded.queries
    for query, by_hand, by_fastapi in zip(queries, fast, solved, strict=True):
        assert by_hand.content == by_fastapi.content, query
        assert by_hand.headers.items() - by_fastapi.headers.items() == {
            ("x-request-id", by_hand.headers["x-request-id"])
        }
    assert any(r.json()["total"] > 0 for r in fast)
    assert read_by_hand[10].limit == 7  # the last of a repeated parameter, as FastAPI takes it
    assert read_by_hand[5].filters.q == "query-shape"


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("status=done", 422),
        ("sort=title", 422),
        ("limit=0", 422),
        ("limit=201", 422),
        ("offset=100001", 422),
        ("overdue=maybe", 422),
        ("deadline_from=2026-02-30", 422),
        ("deadline_to=20260101", 422),
        ("source=nowhere", 422),
        ("q=" + "x" * 201, 422),
        # pydantic's other spellings, which FastAPI accepts
        ("overdue=1", 200),
        ("open=FALSE", 200),
        ("limit=+5", 200),
    ],
)
async def test_what_is_not_plain_is_left_to_fastapi(world: LedgerWorld, query: str, status: int) -> None:
    assert parse_list_query(QueryParams(query)) is None
    response = await world.client.get(f"/api/v1/issues?{query}", headers=world.headers("office"))
    assert response.status_code == status, response.text
    if status == 422:
        problem = response.json()
        assert problem["code"] == "validation-error"
        assert problem["errors"][0]["field"].split(".")[0] == query.split("=")[0]


async def test_a_plain_query_without_a_token_is_401(world: LedgerWorld) -> None:
    assert parse_list_query(QueryParams("status=in_progress")) is not None
    response = await world.client.get("/api/v1/issues?status=in_progress")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


class StackSpy:
    """The paths of the requests that the edge passed on into the app's stack (behind `DirectRoutes`)."""

    def __init__(self, world: LedgerWorld, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        directs = world.app.middleware_stack.app  # type: ignore[union-attr]
        assert isinstance(directs, DirectRoutes)
        stack: ASGIApp = directs.app

        async def spying(scope: Scope, receive: Receive, send: Send) -> None:
            assert "route" not in scope  # as it came, when the edge declined
            assert "path_params" not in scope
            self.paths.append(f"{scope['path']}?{scope['query_string'].decode()}")
            await stack(scope, receive, send)

        monkeypatch.setattr(directs, "app", spying)


async def test_a_plain_query_is_answered_from_the_edge_as_the_stack_answers_it(
    world: LedgerWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    await world.issue_in("in_progress", co_units=("B",), title="edge-shape")
    await world.client.get("/healthz")  # the app's stack built
    callers = {
        "office": world.headers("office"),
        "unit A": world.headers("unit", "A"),
        "unit B": world.headers("unit", "B"),
        "client": world.client_headers("issues:read"),
        "no token": {},
        "bad token": {"Authorization": "Bearer nope"},
        "no scope": world.client_headers("notify:read"),
    }
    query = "status=in_progress&limit=20"
    spy = StackSpy(world, monkeypatch)

    async def answers() -> dict[str, Any]:
        return {
            name: await world.client.get(f"/api/v1/issues?{query}", headers={**h, "X-Request-ID": "req-1"})
            for name, h in callers.items()
        }

    from_edge = await answers()
    assert spy.paths == []
    monkeypatch.setattr(ledger_router, "parse_list_query", lambda _: None)  # the edge declines, the stack solves
    from_stack = await answers()
    assert spy.paths == [f"/api/v1/issues?{query}"] * len(callers)
    statuses = {name: r.status_code for name, r in from_edge.items()}
    assert statuses == {
        "office": 200, "unit A": 200, "unit B": 200, "client": 200, "no token": 401, "bad token": 401, "no scope": 403
    }  # fmt: skip
    for name, edge in from_edge.items():
        stack = from_stack[name]
        assert (edge.status_code, edge.content, edge.headers) == (stack.status_code, stack.content, stack.headers), name
    counted = world.app.state.metrics.requests.labels("issues-api", "GET", "/api/v1/issues", "200")
    assert counted._value.get() >= 8


async def test_what_the_edge_declines_goes_on_into_the_stack(
    world: LedgerWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    await world.client.get("/healthz")
    spy = StackSpy(world, monkeypatch)
    office = world.headers("office")
    declined = ["/api/v1/issues?status=done", "/api/v1/issues?overdue=1"]
    answers = [await world.client.get(path, headers=office) for path in declined]
    assert [r.status_code for r in answers] == [422, 200]
    assert answers[0].json()["errors"][0]["field"] == "status.0"
    head = await world.client.head("/api/v1/issues?limit=1", headers=office)  # answered from the edge as its GET
    assert spy.paths == declined
    assert (head.status_code, head.content) == (200, b"")
