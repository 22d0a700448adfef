"""A consumer in another process catches up with a 10,000-event feed served over HTTP by a real server:
no gap, no duplicate, also after being killed half-way. SQLite always; PostgreSQL too when configured.

The server and the consumers are real processes, forked from one that imported what they import once
(`rectify_kit.testing.Zygote`): as fresh interpreters they paid some 0.75 s of CPU each for their imports.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from rectify_kit.db import Database, make_metadata
from rectify_kit.outbox import NewEvent, append_events, make_event_table
from rectify_kit.testing import (
    ForkedProcess,
    Zygote,
    backends,
    create_pg_database,
    drop_pg_database,
    free_port,
    sqlite_test_url,
    wait_healthy,
)

HERE = Path(__file__).resolve().parent
EVENTS = 10_000
BATCH = 1_000
AT = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


# What feed_server.py and feed_consumer.py import, and the drivers their engines load.
PRELOAD = [
    "uvicorn",
    "rectify_kit.app",
    "rectify_kit.consumer",
    "rectify_kit.feed",
    "rectify_kit.outbox",
    "sqlalchemy.dialects.sqlite.aiosqlite",
    "sqlalchemy.dialects.postgresql.asyncpg",
]


@dataclass(frozen=True)
class Feed:
    backend: str
    base_url: str
    database_url: str
    forks: Zygote
    logs: Path  # the server's output, and its consumers'


async def seed(url: str) -> None:
    """The server's own database, holding EVENTS events written by the outbox (`append_events`, in batches)."""
    metadata = make_metadata()
    table = make_event_table(metadata)  # the table feed_server.py serves
    database = Database(url)
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    for first in range(0, EVENTS, BATCH):
        async with database.session() as session:
            await append_events(
                session,
                table,
                [
                    NewEvent(
                        type="thing.changed",
                        subject_id=f"s{n % 97}",
                        actor={"kind": "system"},
                        data={"n": n},
                        occurred_at=AT + timedelta(seconds=n),
                    )
                    for n in range(first, first + BATCH)
                ],
            )
    await database.dispose()


async def new_database_url(backend: str, directory: Path, name: str) -> str:
    if backend == "sqlite":
        return sqlite_test_url(directory, name)
    return await create_pg_database(f"feed_{name}")


@pytest.fixture(scope="session")
def forks() -> Iterator[Zygote]:
    zygote = Zygote(PRELOAD)
    try:
        yield zygote
    finally:
        zygote.close()


@pytest.fixture(scope="module", params=backends())
def feed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, forks: Zygote) -> Iterator[Feed]:
    """A real uvicorn server in a process of its own, serving its own database of EVENTS events."""
    logs = tmp_path_factory.mktemp("server")
    url = asyncio.run(new_database_url(request.param, logs, "server"))
    asyncio.run(seed(url))
    port = free_port()
    server = forks.start(HERE / "feed_server.py", [url, str(port)], env=os.environ, log=logs / "server.log", cwd=HERE)
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_healthy(base_url, server)
        yield Feed(request.param, base_url, url, forks, logs)
    finally:
        server.terminate()
        server.wait(timeout=10)
        if request.param == "postgresql":
            asyncio.run(drop_pg_database(url))


@pytest.fixture
async def consumer_url(feed: Feed, tmp_path: Path) -> AsyncIterator[str]:
    """The consumer's own database, created empty for each test."""
    url = await new_database_url(feed.backend, tmp_path, "consumer")
    yield url
    if feed.backend == "postgresql":
        await drop_pg_database(url)


def start_consumer(feed: Feed, consumer_url: str, page_delay: float = 0.0) -> ForkedProcess:
    arguments = [feed.base_url, consumer_url, str(EVENTS), str(page_delay)]
    return feed.forks.start(HERE / "feed_consumer.py", arguments, env=os.environ, log=feed.logs / "consumers.log")


async def assert_exits_cleanly(consumer: ForkedProcess, feed: Feed) -> None:
    """The consumer ends by itself (within 120 s), with 0; else the consumers' output says why."""
    code = await asyncio.to_thread(consumer.wait, 120)
    assert code == 0, (feed.logs / "consumers.log").read_text(errors="replace")[-4000:]


async def applied_rows(url: str) -> list[tuple[int, str, str]]:
    database = Database(url)
    try:
        async with database.session(write=False) as session:
            rows = await session.execute(text("SELECT seq, event_id, hash FROM applied ORDER BY seq"))
            return [(int(r.seq), str(r.event_id), str(r.hash)) for r in rows]
    except DBAPIError:
        return []  # the consumer has not created its tables yet
    finally:
        await database.dispose()


async def applied_count(probe: Database) -> int:
    try:
        async with probe.session(write=False) as session:
            return int((await session.execute(text("SELECT count(*) FROM applied"))).scalar_one())
    except DBAPIError:
        return 0  # the consumer has not created its tables yet


async def cursor_position(url: str) -> int:
    database = Database(url)
    try:
        async with database.session(write=False) as session:
            return int((await session.execute(text("SELECT position FROM feed_cursors"))).scalar_one())
    finally:
        await database.dispose()


async def served_events(feed: Feed) -> list[tuple[int, str, str]]:
    database = Database(feed.database_url)
    try:
        async with database.session(write=False) as session:
            rows = await session.execute(text("SELECT seq, id, hash FROM events ORDER BY seq"))
            return [(int(r.seq), str(r.id), str(r.hash)) for r in rows]
    finally:
        await database.dispose()


async def assert_caught_up_exactly(feed: Feed, consumer_url: str) -> None:
    rows = await applied_rows(consumer_url)
    assert len(rows) == EVENTS
    assert [seq for seq, _, _ in rows] == list(range(1, EVENTS + 1))  # no gap, no duplicate
    assert rows == await served_events(feed)  # the very events the server holds
    assert await cursor_position(consumer_url) == EVENTS


class TestCrossProcessCatchUp:
    async def test_consumer_process_catches_up_with_no_gap_and_no_duplicate(
        self, feed: Feed, consumer_url: str
    ) -> None:
        consumer = start_consumer(feed, consumer_url)
        await assert_exits_cleanly(consumer, feed)
        await assert_caught_up_exactly(feed, consumer_url)

    async def test_consumer_killed_half_way_resumes_with_no_gap_and_no_duplicate(
        self, feed: Feed, consumer_url: str
    ) -> None:
        # Slowed down by a pause per page, so the kill lands half-way through.
        consumer = start_consumer(feed, consumer_url, page_delay=0.05)
        probe = Database(consumer_url)
        try:
            while await applied_count(probe) < 3_000:
                assert consumer.returncode is None, "the consumer finished before it could be killed"
                await asyncio.sleep(0.02)
            consumer.send_signal(signal.SIGKILL)
        finally:
            await asyncio.to_thread(consumer.wait, 30)
            await probe.dispose()
        assert consumer.returncode == -signal.SIGKILL
        killed_at = await applied_rows(consumer_url)
        assert 3_000 <= len(killed_at) < EVENTS
        assert [seq for seq, _, _ in killed_at] == list(range(1, len(killed_at) + 1))
        assert await cursor_position(consumer_url) == len(killed_at)  # the cursor moved with the rows

        restarted = start_consumer(feed, consumer_url)
        await assert_exits_cleanly(restarted, feed)
        await assert_caught_up_exactly(feed, consumer_url)
