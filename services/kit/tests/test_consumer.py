"""The feed consumer applies each event once, its cursor moving in the same transaction as the effects."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import httpx
import pytest
from fastapi import FastAPI, Form
from sqlalchemy import BigInteger, Column, String, Table, any_, bindparam, insert, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from rectify_kit.auth import CurrentPrincipal, Principal
from rectify_kit.consumer import ClientCredentials, FeedConsumer, FetchedPage, HttpFeedSource, read_page
from rectify_kit.cursors import cursor_state, make_cursor_table
from rectify_kit.db import Database, make_metadata
from rectify_kit.errors import install_problem_handlers
from rectify_kit.feed import FeedEvent, feed_router
from rectify_kit.outbox import append_event, make_event_table
from rectify_kit.testing import TokenFactory

from .conftest import MakeDatabase

metadata = make_metadata()
cursors = make_cursor_table(metadata)
applied = Table("applied", metadata, Column("seq", BigInteger, primary_key=True), Column("type", String(40)))
grown = Table("grown", metadata, Column("id", String(36), primary_key=True))


def item(seq: int, type_: str = "a.x") -> FeedEvent:
    return FeedEvent(
        seq=seq, id=f"e{seq}", type=type_, occurred_at="2026-11-25T08:00:00+00:00", actor={}, subject_id="s",
        data={"n": seq}, hash="h",
    )  # fmt: skip


class ListSource:
    """A feed held in memory; `calls` records each `after` asked for."""

    def __init__(self, items: list[FeedEvent], head: int | None = None) -> None:
        self.items = items
        self.head = head if head is not None else (items[-1].seq if items else 0)
        self.calls: list[int] = []

    async def fetch(self, *, after: int, limit: int, wait: float) -> FetchedPage:
        self.calls.append(after)
        page = [i for i in self.items if i.seq > after][:limit]
        nxt = page[-1].seq if len(page) == limit else max(after, self.head)
        return FetchedPage(events=page, next=nxt, head=self.head)


async def record(session: AsyncSession, event: FeedEvent) -> None:
    await session.execute(insert(applied).values(seq=event.seq, type=event.type))


async def _full_scans(session: AsyncSession) -> int:
    """The sequential scans of `grown` this backend has counted and not yet reported."""
    query = text("SELECT pg_stat_get_xact_numscans('grown'::regclass)")
    return int((await session.execute(query)).scalar_one())


async def applied_seqs(database: Database) -> list[int]:
    async with database.session(write=False) as session:
        return list((await session.execute(select(applied.c.seq).order_by(applied.c.seq))).scalars())


def consumer(database: Database, source: Any, handler: Any = record, batch_size: int = 100) -> FeedConsumer:
    return FeedConsumer(
        name="test-feed", database=database, cursor_table=cursors, source=source, handler=handler,
        batch_size=batch_size, wait=0,
    )  # fmt: skip


class TestFeedConsumer:
    async def test_new_consumer_starts_at_zero(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        assert await consumer(database, ListSource([])).position() == 0

    async def test_applies_each_event_and_moves_the_cursor(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        source = ListSource([item(n) for n in range(1, 6)])
        feed = consumer(database, source, batch_size=2)
        assert [await feed.run_once() for _ in range(4)] == [2, 2, 1, 0]
        assert await applied_seqs(database) == [1, 2, 3, 4, 5]
        assert source.calls == [0, 2, 4, 5]
        async with database.session(write=False) as session:
            state = await cursor_state(session, cursors, "test-feed")
        assert (state.position, state.head) == (5, 5)
        assert state.lag(max_age_seconds=60) == 0

    async def test_the_head_is_known_as_of_the_asking_not_the_answer(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)

        class SlowSource(ListSource):
            async def fetch(self, *, after: int, limit: int, wait: float) -> FetchedPage:
                await asyncio.sleep(0.5)  # a long-poll that waited: events may have come meanwhile
                return await super().fetch(after=after, limit=limit, wait=wait)

        before = datetime.now(UTC)
        await consumer(database, SlowSource([item(1)], head=3), batch_size=1).run_once()
        async with database.session(write=False) as session:
            state = await cursor_state(session, cursors, "test-feed")
        assert state.checked_at is not None
        assert before <= state.checked_at <= before + timedelta(seconds=0.4)
        assert state.lag(max_age_seconds=60) == 2
        assert state.lag(max_age_seconds=0.1) is None

    async def test_replayed_page_is_skipped(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        feed = consumer(database, ListSource([]))
        page = FetchedPage(events=[item(1), item(2)], next=2, head=2)
        assert await feed.apply(page) == 2
        assert await feed.apply(page) == 0
        assert await feed.apply(FetchedPage(events=[item(2), item(3)], next=3, head=3)) == 1
        assert await applied_seqs(database) == [1, 2, 3]

    async def test_a_page_handler_gets_each_page_whole_without_what_was_applied(
        self, make_database: MakeDatabase
    ) -> None:
        database = await make_database(metadata)
        pages: list[list[int]] = []

        async def apply_page(session: AsyncSession, events: Sequence[FeedEvent]) -> None:
            pages.append([event.seq for event in events])
            for event in events:
                await record(session, event)

        feed = FeedConsumer(
            name="test-feed", database=database, cursor_table=cursors, source=ListSource([]), page_handler=apply_page
        )
        assert await feed.apply(FetchedPage(events=[item(1), item(2)], next=2, head=2)) == 2
        assert await feed.apply(FetchedPage(events=[item(2), item(3), item(4)], next=4, head=4)) == 2
        assert pages == [[1, 2], [3, 4]]
        assert await applied_seqs(database) == [1, 2, 3, 4]
        assert await feed.position() == 4

    async def test_a_page_is_planned_for_its_tables_as_they_are_now(self, make_pg_database: MakeDatabase) -> None:
        """A statement a page runs, first planned when its table was small, still reads by the index once the
        table has grown many times over without being analyzed (PostgreSQL kept a generic plan: a full scan)."""
        database = await make_pg_database(metadata)
        lookup = select(grown.c.id).where(grown.c.id == any_(bindparam("ids", type_=postgresql.ARRAY(String()))))
        full_scans: list[int] = []

        async def apply_page(session: AsyncSession, events: Sequence[FeedEvent]) -> None:
            before = await _full_scans(session)
            await session.execute(lookup, {"ids": [f"id-{event.seq}" for event in events]})
            full_scans.append(await _full_scans(session) - before)

        async with database.session(write=True) as session:
            await session.execute(text("INSERT INTO grown SELECT 'id-' || n FROM generate_series(1, 300) AS n"))
            await session.execute(text("ANALYZE grown"))
        feed = FeedConsumer(
            name="test-feed", database=database, cursor_table=cursors, source=ListSource([]), page_handler=apply_page
        )
        for seq in range(1, 8):  # past the five runs after which PostgreSQL may keep a generic plan
            await feed.apply(FetchedPage(events=[item(seq)], next=seq, head=seq))
        async with database.session(write=True) as session:
            await session.execute(text("INSERT INTO grown SELECT 'id-' || n FROM generate_series(301, 30000) AS n"))
        await feed.apply(FetchedPage(events=[item(8)], next=8, head=8))
        assert full_scans[-1] == 0

    def test_a_consumer_takes_one_handler_of_events_or_of_pages(self) -> None:
        for handlers in ({}, {"handler": record, "page_handler": record}):
            with pytest.raises(TypeError):
                FeedConsumer(name="f", database=None, cursor_table=cursors, source=ListSource([]), **handlers)  # type: ignore[arg-type]

    async def test_handler_that_raises_leaves_cursor_and_effects_unchanged(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)

        async def fails_on_three(session: AsyncSession, event: FeedEvent) -> None:
            await record(session, event)
            if event.seq == 3:
                raise RuntimeError("cannot apply")

        await consumer(database, ListSource([item(1)])).run_once()
        source = ListSource([item(n) for n in range(1, 5)])
        with pytest.raises(RuntimeError):
            await consumer(database, source, fails_on_three).run_once()
        assert await applied_seqs(database) == [1]
        assert await consumer(database, source).position() == 1
        assert await consumer(database, source).run_once() == 3
        assert await applied_seqs(database) == [1, 2, 3, 4]

    async def test_page_without_visible_events_still_moves_the_cursor(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        feed = consumer(database, ListSource([], head=7))
        assert await feed.run_once() == 0
        assert await feed.position() == 7

    async def test_two_consumers_keep_separate_cursors(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        await consumer(database, ListSource([item(1), item(2)])).run_once()
        other = FeedConsumer(
            name="other", database=database, cursor_table=cursors, source=ListSource([]), handler=record, wait=0
        )
        assert await other.position() == 0


class FlakySource(ListSource):
    """Fails its first fetch, then serves its events and asks the consumer to stop."""

    def __init__(self, items: list[FeedEvent], stop: asyncio.Event) -> None:
        super().__init__(items)
        self.stop = stop

    async def fetch(self, *, after: int, limit: int, wait: float) -> FetchedPage:
        if not self.calls:
            self.calls.append(after)
            raise httpx.ConnectError("feed down")
        page = await super().fetch(after=after, limit=limit, wait=wait)
        self.stop.set()
        return page


class HangingSource:
    """A long-poll that never answers: it waits until cancelled."""

    def __init__(self) -> None:
        self.waiting = asyncio.Event()
        self.cancelled = False

    async def fetch(self, *, after: int, limit: int, wait: float) -> FetchedPage:
        self.waiting.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.cancelled = True
            raise
        raise AssertionError("unreachable")


class TestRunForever:
    async def test_a_stop_ends_a_long_poll_without_cancelling_the_loop(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        stop, source = asyncio.Event(), HangingSource()
        loop = asyncio.create_task(consumer(database, source).run_forever(stop=stop))
        await asyncio.wait_for(source.waiting.wait(), timeout=10)
        stop.set()
        await asyncio.wait_for(loop, timeout=10)  # returns by itself: nothing had to cancel it
        assert not loop.cancelled()
        assert source.cancelled
        assert await applied_seqs(database) == []

    async def test_retries_after_an_error_and_stops_when_asked(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        stop = asyncio.Event()
        source = FlakySource([item(1), item(2)], stop)
        await asyncio.wait_for(consumer(database, source).run_forever(stop=stop), timeout=30)
        assert source.calls == [0, 0]
        assert await applied_seqs(database) == [1, 2]

    async def test_waits_the_linger_after_a_short_page_and_not_after_a_full_one(
        self, make_database: MakeDatabase
    ) -> None:
        database = await make_database(metadata)
        stop = asyncio.Event()
        times: list[float] = []

        class TimedSource(ListSource):
            """Serves 1–3, then stops the consumer at its third fetch; notes when each fetch came."""

            async def fetch(self, *, after: int, limit: int, wait: float) -> FetchedPage:
                times.append(time.monotonic())
                if len(self.calls) == 2:
                    stop.set()
                return await super().fetch(after=after, limit=limit, wait=wait)

        source = TimedSource([item(1), item(2), item(3)])
        feed = FeedConsumer(
            name="test-feed", database=database, cursor_table=cursors, source=source, handler=record,
            batch_size=2, wait=0, linger=0.3,
        )  # fmt: skip
        await asyncio.wait_for(feed.run_forever(stop=stop), timeout=30)
        assert source.calls == [0, 2, 3]  # a full page, a short one, then the empty one that stopped it
        full, short = times[1] - times[0], times[2] - times[1]
        assert short >= 0.3
        assert full < 0.3
        assert await applied_seqs(database) == [1, 2, 3]

    async def test_asks_after_where_its_last_page_left_the_cursor(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        stop = asyncio.Event()
        reads: list[int] = []

        class CountingConsumer(FeedConsumer):
            async def position(self) -> int:
                reads.append(1)
                return await super().position()

        class StoppingSource(ListSource):
            async def fetch(self, *, after: int, limit: int, wait: float) -> FetchedPage:
                if len(self.calls) == 3:
                    stop.set()
                return await super().fetch(after=after, limit=limit, wait=wait)

        source = StoppingSource([item(n) for n in range(1, 6)])
        feed = CountingConsumer(
            name="test-feed", database=database, cursor_table=cursors, source=source, handler=record,
            batch_size=2, wait=0, linger=0,
        )  # fmt: skip
        await asyncio.wait_for(feed.run_forever(stop=stop), timeout=30)
        assert source.calls == [0, 2, 4, 5]
        assert reads == [1]  # the cursor read once, at the start
        assert await applied_seqs(database) == [1, 2, 3, 4, 5]

    async def test_a_page_asked_past_a_cursor_moved_back_is_not_applied(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        feed = consumer(database, ListSource([]))
        assert await feed.apply(FetchedPage(events=[item(1), item(2)], next=2, head=2, after=0)) == 2
        async with database.session() as session:  # a reset: the cursor back to 0 while a page after 2 was asked
            await session.execute(cursors.delete())
        assert await feed.apply(FetchedPage(events=[item(3)], next=3, head=3, after=2)) == 0
        assert await feed.position() == 0  # not 3: events 1 and 2 are to be applied again first
        assert await applied_seqs(database) == [1, 2]


events = make_event_table(metadata, "source_events")
TOKENS = TokenFactory()


def source_app(database: Database, token_requests: list[str]) -> FastAPI:
    """A feed server with its own token endpoint, as another service would run."""
    app = FastAPI()
    install_problem_handlers(app)
    app.state.database = database
    app.state.token_verifier = TOKENS.verifier()

    async def client_principal(principal: CurrentPrincipal) -> Principal:
        return principal

    @app.post("/token")
    async def token(
        grant_type: Annotated[str, Form()], client_id: Annotated[str, Form()], client_secret: Annotated[str, Form()]
    ) -> dict[str, Any]:
        token_requests.append(f"{grant_type}:{client_id}:{client_secret}")
        return {"access_token": TOKENS.token(client_id, kind="client"), "token_type": "bearer", "expires_in": 300}

    app.include_router(
        feed_router(path="/events", table=events, principal_dependency=client_principal, visible_types=lambda p: None)
    )
    return app


class TestHttpFeedSource:
    async def test_consumer_reads_a_served_feed_with_client_credentials(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        at = datetime(2026, 11, 25, tzinfo=UTC)
        async with database.session() as session:
            for n in range(5):
                await append_event(session, events, type="a.x", subject_id="s", actor={}, data={"n": n}, occurred_at=at)
        token_requests: list[str] = []
        transport = httpx.ASGITransport(app=source_app(database, token_requests))
        async with httpx.AsyncClient(transport=transport, base_url="http://src") as http:
            credentials = ClientCredentials("http://src/token", "reader", "s3cret", http=http)
            source = HttpFeedSource("http://src/events", http=http, credentials=credentials)
            feed = consumer(database, source, batch_size=2)
            while await feed.run_once():
                pass
        assert await applied_seqs(database) == [1, 2, 3, 4, 5]
        assert token_requests == ["client_credentials:reader:s3cret"]

    async def test_refused_token_is_forgotten_and_the_error_raised(self) -> None:
        token_calls: list[int] = []

        def answer(request: httpx.Request) -> httpx.Response:
            if request.url.path == "/token":
                token_calls.append(1)
                return httpx.Response(200, json={"access_token": f"t{len(token_calls)}", "expires_in": 300})
            if request.headers["authorization"] == "Bearer t1":
                return httpx.Response(401, json={})
            return httpx.Response(200, json={"events": [], "next": 0, "head": 0})

        async with httpx.AsyncClient(transport=httpx.MockTransport(answer), base_url="http://src") as http:
            source = HttpFeedSource("http://src/events", http=http, credentials=ClientCredentials(
                "http://src/token", "c", "s", http=http
            ))  # fmt: skip
            with pytest.raises(httpx.HTTPStatusError):
                await source.fetch(after=0, limit=10, wait=0)
            page = await source.fetch(after=0, limit=10, wait=0)
        assert (page.events, page.next) == ([], 0)
        assert len(token_calls) == 2


def test_a_page_read_off_the_wire_is_what_its_json_validated_event_by_event_gives() -> None:
    """`read_page` parses the answer's bytes straight into events: the same events as `json.loads` and a
    validation of each, awkward JSON included (escapes, non-ASCII, big and negative numbers, floats, nesting)."""
    data = {
        "title": '整改 "quoted" \\ \u2028 \U0001f600',
        "n": 2**63 + 5,
        "neg": -7,
        "x": 0.1,
        "e": 1e300,
        "nested": [{"a": None, "b": [True, False, {}]}, []],
    }
    events = [
        {"seq": 9, "id": "e9", "type": "issue.created", "occurred_at": "2026-12-03T09:00:00+08:00",
         "actor": {"id": None, "kind": "system"}, "subject_id": "s", "data": data, "hash": "0" * 64},
        {"seq": 10, "id": "e10", "type": "user.updated", "occurred_at": "2026-12-03T01:00:00+00:00",
         "actor": {}, "subject_id": "u", "data": {}, "hash": "f" * 64, "extra": "ignored"},
    ]  # fmt: skip
    for body in ({"events": events, "next": 10, "head": 12}, {"events": [], "next": 4}):
        raw = json.dumps(body, ensure_ascii=False).encode()
        parsed = json.loads(raw)
        expected = FetchedPage(
            events=[FeedEvent.model_validate(e) for e in parsed["events"]],
            next=int(parsed["next"]),
            head=int(parsed.get("head", parsed["next"])),
        )
        assert read_page(raw) == expected
