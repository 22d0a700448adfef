"""PostgreSQL only: writers that stage their events run side by side, and the feed stays gap-free and in order.

`append_events` makes a second writer wait for the first one's commit (test_feed_order_pg.py); `Outbox.add`
does not, yet a reader following `after=N` still sees 1, 2, 3, … with nothing skipped, nothing repeated, every
writer's events in the order it committed them, and a chain that verifies. SQLite has one writer at a time,
so these tests exist only when RECTIFY_TEST_PG_URL is set.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections import defaultdict
from datetime import UTC, datetime

import pytest

from rectify_kit.db import Database, make_metadata
from rectify_kit.feed import read_page
from rectify_kit.outbox import NewEvent, append_event, make_event_table, verify_chain
from rectify_kit.relay import Outbox, make_staging_table
from rectify_kit.testing import pg_admin_url

from .conftest import MakeDatabase, follow_feed

metadata = make_metadata()
events = make_event_table(metadata, "relayed_events")
outbox = Outbox(events, make_staging_table(metadata, events))
AT = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
CONNECTIONS = 16
TRANSACTIONS_PER_WRITER = 25


def new(writer: int, n: int, k: int) -> NewEvent:
    data = {"writer": writer, "n": n, "k": k}
    return NewEvent("t.written", f"w{writer}", {}, data, AT, event_id=str(uuid.uuid4()))


if pg_admin_url():

    @pytest.fixture
    async def database(make_pg_database: MakeDatabase) -> Database:
        return await make_pg_database(metadata, pool_size=CONNECTIONS + 4, max_overflow=4)

    async def seqs_after(database: Database, after: int) -> list[int]:
        async with database.session(write=False) as session:
            page = await read_page(session, events, after=after, limit=100, type_prefixes=None)
        return [e.seq for e in page.events]

    class TestWritersSideBySide:
        async def test_a_writer_commits_while_another_is_open_and_both_are_numbered_in_commit_order(
            self, database: Database
        ) -> None:
            early = database.write_sessionmaker()
            try:
                await outbox.add(early, [new(0, 0, 0)])
                async with asyncio.timeout(10):  # it would hang here if the early writer held a lock
                    async with database.session() as late:
                        await outbox.add(late, [new(1, 0, 0)])
                assert await seqs_after(database, 0) == [1]
                await early.commit()
            finally:
                await early.close()
            await outbox.relay(database)
            async with database.session(write=False) as session:
                page = await read_page(session, events, after=0, limit=10, type_prefixes=None)
            assert [(e.seq, e.data["writer"]) for e in page.events] == [(1, 1), (2, 0)]

        async def test_immediate_appends_and_staged_events_share_one_chain(self, database: Database) -> None:
            async with database.session() as session:
                await outbox.add(session, [new(0, 0, 0)])
            async with database.session() as session:
                await append_event(session, events, type="t.now", subject_id="x", actor={}, data={}, occurred_at=AT)
            async with database.session() as session:
                await outbox.add(session, [new(0, 1, 0)])
            assert await seqs_after(database, 0) == [1, 2, 3]
            async with database.session(write=False) as session:
                assert (await verify_chain(session, events)).ok

    class TestSixteenConnections:
        async def test_no_gap_no_reorder_and_a_valid_chain(self, database: Database) -> None:
            rng = random.Random(20261126)
            committed: list[str] = []
            committed_by_writer: dict[int, list[tuple[int, int]]] = defaultdict(list)
            writers_done = asyncio.Event()

            async def writer(number: int) -> None:
                for n in range(TRANSACTIONS_PER_WRITER):
                    delay, roll_back, size = rng.uniform(0, 0.005), rng.random() < 0.2, rng.choice((1, 1, 2, 3))
                    staged = [new(number, n, k) for k in range(size)]
                    try:
                        async with database.session() as session:
                            await outbox.add(session, staged)
                            await asyncio.sleep(delay)  # between the insert and the commit
                            if roll_back:
                                raise LookupError("roll back")
                    except LookupError:
                        continue
                    committed.extend(str(e.event_id) for e in staged)
                    committed_by_writer[number] += [(n, k) for k in range(size)]

            reading = asyncio.create_task(follow_feed(database, events, writers_done))
            await asyncio.gather(*(writer(w) for w in range(CONNECTIONS)))
            writers_done.set()
            seen = [
                (e.seq, e.id, e.data["writer"], e.data["n"], e.data["k"])
                for e in await asyncio.wait_for(reading, timeout=120)
            ]

            assert len(committed) > CONNECTIONS * TRANSACTIONS_PER_WRITER // 2
            assert [seq for seq, *_ in seen] == list(range(1, len(committed) + 1))  # in order, no gap, no repeat
            assert sorted(event_id for _, event_id, *_ in seen) == sorted(committed)  # every committed one, no other
            for number, order in committed_by_writer.items():  # each writer's events in the order it committed
                assert [(n, k) for _, _, w, n, k in seen if w == number] == order
            async with database.session(write=False) as session:
                report = await verify_chain(session, events)
            assert (report.ok, report.checked) == (True, len(committed))
