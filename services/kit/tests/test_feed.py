"""The long-poll feed: pages after a cursor, type filters that never make a reader skip, early wake-up."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request

from rectify_kit.auth import Principal
from rectify_kit.db import Database, make_metadata
from rectify_kit.errors import Unauthorized, install_problem_handlers
from rectify_kit.feed import FeedEvent, FeedNotifier, feed_router, read_page
from rectify_kit.outbox import append_event, make_event_table
from rectify_kit.serving import draining_event

from .conftest import MakeDatabase

metadata = make_metadata()
events = make_event_table(metadata, "feed_events")
AT = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


async def reader(request: Request) -> Principal:
    who = request.headers.get("x-reader")
    if who is None:
        raise Unauthorized("who are you")
    return Principal(sub=who)


def visible_types(principal: Principal) -> Sequence[str] | None:
    return None if principal.sub == "all" else ["a."]


def feed_app(database: Database, *, notifier: FeedNotifier | None = None, poll_interval: float = 1.0) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.state.database = database
    router = feed_router(
        path="/events",
        table=events,
        principal_dependency=reader,
        visible_types=visible_types,
        notifier=notifier,
        poll_interval=poll_interval,
    )
    app.include_router(router)
    return app


@asynccontextmanager
async def client(app: FastAPI, who: str = "all") -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t", headers={"x-reader": who}) as c:
        yield c


async def append(database: Database, *types: str) -> None:
    async with database.session() as session:
        for n, type_ in enumerate(types):
            await append_event(session, events, type=type_, subject_id="s", actor={}, data={"n": n}, occurred_at=AT)


class TestReadFeed:
    async def test_a_long_poll_answers_at_once_when_the_server_begins_to_stop(
        self, make_database: MakeDatabase
    ) -> None:
        database = await make_database(metadata)
        app = feed_app(database, poll_interval=0.2)
        async with client(app) as c:
            polling = asyncio.create_task(c.get("/events", params={"wait": 20}))
            await asyncio.sleep(0.3)
            draining_event(app).set()
            async with asyncio.timeout(2):
                answer = await polling
        assert answer.json() == {"events": [], "next": 0, "head": 0}

    async def test_returns_events_after_the_cursor_with_next_and_head(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        await append(database, "a.x", "a.y", "a.z")
        async with client(feed_app(database)) as c:
            body = (await c.get("/events", params={"after": 1})).json()
        assert [e["seq"] for e in body["events"]] == [2, 3]
        assert (body["next"], body["head"]) == (3, 3)
        assert set(body["events"][0]) == {"seq", "id", "type", "occurred_at", "actor", "subject_id", "data", "hash"}

    async def test_limit_cuts_the_page_and_next_points_at_its_last_event(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        await append(database, "a.x", "a.y", "a.z")
        async with client(feed_app(database)) as c:
            body = (await c.get("/events", params={"after": 0, "limit": 2})).json()
        assert [e["seq"] for e in body["events"]] == [1, 2]
        assert (body["next"], body["head"]) == (2, 3)

    async def test_empty_feed_answers_at_once_without_wait(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        async with client(feed_app(database)) as c:
            assert (await c.get("/events")).json() == {"events": [], "next": 0, "head": 0}

    async def test_reader_is_authorised_by_the_dependency(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=feed_app(database)), base_url="http://t") as c:
            assert (await c.get("/events")).status_code == 401

    @pytest.mark.parametrize(
        "params",
        [{"limit": 0}, {"limit": 1001}, {"after": -1}, {"wait": 31}, {"wait": -1}, {"after": "x"}],
    )
    async def test_out_of_range_parameters_are_422(
        self, make_database: MakeDatabase, params: dict[str, int | str]
    ) -> None:
        database = await make_database(metadata)
        async with client(feed_app(database)) as c:
            response = await c.get("/events", params=params)
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"


class TestTypeFilter:
    async def test_hidden_types_are_skipped_and_next_moves_past_them(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        await append(database, "a.x", "b.x", "a.y", "b.y", "b.z")
        async with client(feed_app(database), who="a-only") as c:
            body = (await c.get("/events", params={"after": 0, "limit": 10})).json()
        assert [e["seq"] for e in body["events"]] == [1, 3]
        assert (body["next"], body["head"]) == (5, 5)

    async def test_paging_one_by_one_sees_every_visible_event_exactly_once(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        types = ["a.x" if n % 3 == 0 else "b.x" for n in range(20)] + ["b.tail"]
        await append(database, *types)
        seen: list[int] = []
        after = 0
        async with client(feed_app(database), who="a-only") as c:
            for _ in range(40):
                body = (await c.get("/events", params={"after": after, "limit": 1})).json()
                seen += [e["seq"] for e in body["events"]]
                if body["next"] == after:
                    break
                after = body["next"]
        assert seen == [n + 1 for n in range(20) if n % 3 == 0]
        assert after == 21

    async def test_page_of_only_hidden_events_still_advances(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        await append(database, "b.x", "b.y")
        async with client(feed_app(database), who="a-only") as c:
            body = (await c.get("/events", params={"after": 0, "limit": 1})).json()
        assert body == {"events": [], "next": 2, "head": 2}


class TestLongPoll:
    async def test_returns_as_soon_as_an_event_commits(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        notifier = FeedNotifier()
        notifier.watch(database)
        # A poll interval as long as the wait: only the commit notification can answer before the wait ends.
        app = feed_app(database, notifier=notifier, poll_interval=30)
        async with client(app) as c:
            waiting = asyncio.create_task(c.get("/events", params={"after": 0, "wait": 30}))
            await asyncio.sleep(0.2)
            assert not waiting.done()
            await append(database, "a.new")
            response = await asyncio.wait_for(waiting, timeout=10)
        assert [e["type"] for e in response.json()["events"]] == ["a.new"]

    async def test_without_news_answers_empty_when_the_wait_ends(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        async with client(feed_app(database, poll_interval=0.05)) as c:
            body = (await c.get("/events", params={"after": 0, "wait": 0.2})).json()
        assert body == {"events": [], "next": 0, "head": 0}

    async def test_hidden_events_do_not_end_the_wait_early_but_advance_next(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        app = feed_app(database, poll_interval=0.05)
        async with client(app, who="a-only") as c:
            waiting = asyncio.create_task(c.get("/events", params={"after": 0, "wait": 0.5}))
            await asyncio.sleep(0.1)
            await append(database, "b.hidden")
            body = (await asyncio.wait_for(waiting, timeout=10)).json()
        assert body == {"events": [], "next": 1, "head": 1}

    async def test_commit_without_events_does_not_wake_readers(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        notifier = FeedNotifier()
        notifier.watch(database)
        woken = asyncio.create_task(notifier.wait_at_most(5))
        await asyncio.sleep(0)
        async with database.session() as session:
            await session.execute(events.select())
        await asyncio.sleep(0.05)
        assert not woken.done()
        await append(database, "a.x")
        await asyncio.wait_for(woken, timeout=5)


AWKWARD: list[dict[str, Any]] = [
    {"title": '窗口收费 "quoted" \\ back\nline\ttab \u2028 \U0001f600', "n": 0},
    {"nested": {"z": [1, 2.5, -0.0, 1e-07, 12345678901234567890, None, True], "a": {}}, "b": "", "aa": []},
    {"float": 0.1, "big": 2**70, "neg": -17, "exp": 1.5e300, "tiny": 5e-324},
    {"personal": {"phone": "138", "email": "a@b"}, "keep": "x"},
]


def redact_personal(principal: Principal, event: FeedEvent) -> FeedEvent:
    if event.type != "a.personal" or principal.sub == "all":
        return event
    return event.model_copy(update={"data": {k: v for k, v in event.data.items() if k != "personal"}})


class TestPageBytes:
    """The route answers `read_page`'s page as FastAPI would serialize it, byte for byte, redacted as before."""

    @pytest.mark.parametrize("who", ["all", "a-only"])
    async def test_the_answer_is_the_page_of_read_page(self, make_database: MakeDatabase, who: str) -> None:
        database = await make_database(metadata)
        async with database.session() as session:
            for n, data in enumerate(AWKWARD):
                type_ = "a.personal" if "personal" in data else ("b.x" if n == 1 else "a.x")
                actor = {"kind": "user", "id": f"u{n}", "名": "办公室"}
                await append_event(
                    session, events, type=type_, subject_id=f"s{n}", actor=actor, data=data, occurred_at=AT
                )
        app = feed_app(database)
        app.router.routes.clear()
        app.include_router(
            feed_router(
                path="/events", table=events, principal_dependency=reader, visible_types=visible_types,
                redact=redact_personal,
            )
        )  # fmt: skip
        principal = Principal(sub=who)
        async with client(app, who=who) as c:
            for after, limit in ((0, 100), (1, 2), (3, 1), (4, 10)):
                answer = await c.get("/events", params={"after": after, "limit": limit})
                async with database.session(write=False) as session:
                    page = await read_page(
                        session, events, after=after, limit=limit, type_prefixes=visible_types(principal)
                    )
                page.events = [redact_personal(principal, e) for e in page.events]
                assert answer.headers["content-type"] == "application/json"
                assert answer.content == page.model_dump_json().encode()
        assert "personal" in AWKWARD[3]  # the redacted one was there for "all"
