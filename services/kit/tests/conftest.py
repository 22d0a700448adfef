"""Database fixtures for the kit's tests: SQLite always, PostgreSQL too when RECTIFY_TEST_PG_URL is set; and
logging as a served process has it (`kit_logging`).

A PostgreSQL database is created per test module and dropped afterwards; each test creates the tables it
needs on it and drops them at the end, so tests never share rows. `pg_url` and `make_pg_database` are the same
on PostgreSQL alone, for the modules whose tests exist only when it is configured (`*_pg.py`).
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import AsyncIterator, Awaitable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Protocol

import pytest
from sqlalchemy import MetaData, Table

from rectify_kit.db import Database
from rectify_kit.feed import FeedEvent, read_page
from rectify_kit.observability import configure_logging
from rectify_kit.serving import lean_log_records
from rectify_kit.testing import backends, create_pg_database, drop_pg_database, sqlite_test_url


class MakeDatabase(Protocol):
    """Opens the module's database with `metadata`'s tables created (`pool` as `Database` takes it)."""

    def __call__(self, metadata: MetaData, **pool: int) -> Awaitable[Database]: ...


def pg_database() -> Iterator[str]:
    url = asyncio.run(create_pg_database("kit_test"))
    try:
        yield url
    finally:
        asyncio.run(drop_pg_database(url))


@pytest.fixture(scope="module", params=backends())
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database per test module and backend."""
    if request.param == "sqlite":
        yield sqlite_test_url(tmp_path_factory.mktemp("kit"), "kit")
        return
    yield from pg_database()


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    """One PostgreSQL database per test module, for the modules that exist only when it is configured."""
    yield from pg_database()


@asynccontextmanager
async def tables_opener(url: str) -> AsyncIterator[MakeDatabase]:
    """Open `url` with the given tables created; they are dropped and the database disposed of afterwards."""
    opened: list[tuple[Database, MetaData]] = []

    async def make(metadata: MetaData, **pool: int) -> Database:
        database = Database(url, **pool)
        async with database.engine.begin() as conn:
            await conn.run_sync(metadata.drop_all)
            await conn.run_sync(metadata.create_all)
        opened.append((database, metadata))
        return database

    try:
        yield make
    finally:
        for database, metadata in opened:
            async with database.engine.begin() as conn:
                await conn.run_sync(metadata.drop_all)
            await database.dispose()


@pytest.fixture
async def make_database(database_url: str) -> AsyncIterator[MakeDatabase]:
    """Open the module's database (on each backend) with the given tables created; dropped after the test."""
    async with tables_opener(database_url) as make:
        yield make


@pytest.fixture
async def make_pg_database(pg_url: str) -> AsyncIterator[MakeDatabase]:
    """The same on the module's PostgreSQL database alone."""
    async with tables_opener(pg_url) as make:
        yield make


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return sqlite_test_url(tmp_path, "kit")


async def follow_feed(database: Database, events: Table, writers_done: asyncio.Event) -> list[FeedEvent]:
    """Read `events` as a feed client does (`after=N`, small pages) while writers run, until they are done and
    a page comes back empty: every event the reader saw, in the order it saw them."""
    seen: list[FeedEvent] = []
    after = 0
    while True:
        done = writers_done.is_set()  # read before the page, so the last page is after the last commit
        async with database.session(write=False) as session:
            page = await read_page(session, events, after=after, limit=7, type_prefixes=None)
        seen += page.events
        after = page.next
        if done and not page.events:
            return seen
        if not page.events:
            await asyncio.sleep(0.002)


@pytest.fixture
def kit_logging(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """Logging as a served process has it (the kit's JSON handler, lean records), written to a string."""
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))
    monkeypatch.setattr(root, "level", root.level)
    for name in ("_srcfile", "logThreads", "logProcesses", "logMultiprocessing"):
        monkeypatch.setattr(logging, name, getattr(logging, name))
    configure_logging(service="gateway", level="INFO", json_logs=True)
    lean_log_records()
    stream = io.StringIO()
    root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
    access = logging.getLogger("uvicorn.access")
    monkeypatch.setattr(access, "level", logging.INFO)  # a served stand-in's uvicorn may have raised it
    monkeypatch.setattr(access, "disabled", False)
    return stream
