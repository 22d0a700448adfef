"""PostgreSQL only: the feed hands out events in commit order, so a reader following `after=N` never skips one.

Sequence numbers from a sequence become visible out of order when transactions commit out of order: a reader
that has seen 6 moves its cursor past 5, which commits a moment later and is lost to it for good. The outbox
takes `seq` as last + 1 under a transaction-level advisory lock instead; these tests show the naive way loses
an event and the outbox's way, under many concurrent writers that sleep before committing or roll back, does not.
SQLite's single writer cannot show the bug, so these tests exist only when RECTIFY_TEST_PG_URL is set.
"""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime

import pytest
from sqlalchemy import BigInteger, Column, Identity, String, Table, insert, select, text

from rectify_kit.db import Database, make_metadata
from rectify_kit.feed import read_page
from rectify_kit.outbox import append_event, make_event_table, verify_chain
from rectify_kit.testing import pg_admin_url

from .conftest import MakeDatabase, follow_feed

metadata = make_metadata()
events = make_event_table(metadata, "ordered_events")
# The naive outbox: seq from a sequence (bigserial), no lock.
naive = Table(
    "naive_events",
    metadata,
    Column("seq", BigInteger, Identity(), primary_key=True),
    Column("id", String(36), nullable=False),
)
AT = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
WRITERS = 20
TRANSACTIONS_PER_WRITER = 10


async def wait_until_blocked_on_advisory_lock(database: Database) -> None:
    """Returns once some connection waits for an advisory lock (bounded, so a bug fails instead of hanging)."""
    query = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
    for _ in range(500):
        async with database.engine.connect() as conn:
            if (await conn.execute(query)).scalar_one():
                return
        await asyncio.sleep(0.01)
    raise AssertionError("the second writer never waited for the outbox lock")


async def read_after(database: Database, after: int) -> list[int]:
    async with database.session(write=False) as session:
        page = await read_page(session, events, after=after, limit=100, type_prefixes=None)
    return [e.seq for e in page.events]


if pg_admin_url():

    @pytest.fixture
    async def database(make_pg_database: MakeDatabase) -> Database:
        return await make_pg_database(metadata, pool_size=WRITERS + 5, max_overflow=5)

    class TestNaiveSequenceControl:
        async def test_reader_skips_an_event_that_commits_after_a_later_one(self, database: Database) -> None:
            early = database.sessionmaker()
            late = database.sessionmaker()
            try:
                first = (await early.execute(insert(naive).values(id="first").returning(naive.c.seq))).scalar_one()
                second = (await late.execute(insert(naive).values(id="second").returning(naive.c.seq))).scalar_one()
                assert (first, second) == (1, 2)
                await late.commit()

                async def read(after: int) -> list[int]:
                    async with database.session(write=False) as s:
                        return list((await s.execute(select(naive.c.seq).where(naive.c.seq > after))).scalars())

                assert await read(0) == [2]  # the reader moves its cursor to 2 ...
                await early.commit()
                assert await read(2) == []  # ... and seq 1, committed now, is never handed out
            finally:
                await early.close()
                await late.close()

    class TestOutboxOrder:
        async def test_second_writer_waits_so_the_reader_sees_both_in_order(self, database: Database) -> None:
            early = database.write_sessionmaker()
            try:
                await append_event(early, events, type="t.a", subject_id="s", actor={}, data={}, occurred_at=AT)

                async def late_writer() -> int:
                    async with database.session() as late:
                        event = await append_event(
                            late, events, type="t.b", subject_id="s", actor={}, data={}, occurred_at=AT
                        )
                        return event.seq

                late_task = asyncio.create_task(late_writer())
                await wait_until_blocked_on_advisory_lock(database)
                assert await read_after(database, 0) == []
                await early.commit()
                assert await late_task == 2
                assert await read_after(database, 0) == [1, 2]
            finally:
                await early.close()

        async def test_concurrent_writers_never_make_a_reader_skip(self, database: Database) -> None:
            rng = random.Random(20261125)
            committed: list[str] = []
            writers_done = asyncio.Event()

            async def writer(number: int) -> None:
                for n in range(TRANSACTIONS_PER_WRITER):
                    delay, roll_back, size = rng.uniform(0, 0.005), rng.random() < 0.25, rng.choice((1, 1, 2))
                    async with database.write_sessionmaker() as session:
                        ids = []
                        for k in range(size):
                            event = await append_event(
                                session,
                                events,
                                type="t.written",
                                subject_id=f"w{number}",
                                actor={},
                                data={"n": n, "k": k},
                                occurred_at=AT,
                            )
                            ids.append(event.id)
                        await asyncio.sleep(delay)  # between the insert and the commit
                        if roll_back:
                            await session.rollback()
                        else:
                            await session.commit()
                            committed.extend(ids)

            reading = asyncio.create_task(follow_feed(database, events, writers_done))
            await asyncio.gather(*(writer(w) for w in range(WRITERS)))
            writers_done.set()
            seen = [(e.seq, e.id) for e in await asyncio.wait_for(reading, timeout=60)]

            assert len(committed) > WRITERS * TRANSACTIONS_PER_WRITER // 2
            assert [seq for seq, _ in seen] == list(range(1, len(committed) + 1))  # in order, no gap, no repeat
            assert sorted(event_id for _, event_id in seen) == sorted(committed)  # every committed one, no other
            async with database.session(write=False) as session:
                report = await verify_chain(session, events)
            assert (report.ok, report.checked) == (True, len(committed))
