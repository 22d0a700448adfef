"""Fixtures of notify-api's tests: a migrated database per module and backend (SQLite always, PostgreSQL
when RECTIFY_TEST_PG_URL is set), emptied after each test; the app with a fixed clock and test tokens; and
a small world of units, users and issue events shaped exactly like docs/events.md."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import UTC
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from notify_api.__main__ import MIGRATIONS
from notify_api.config import Settings
from notify_api.db import metadata
from notify_api.main import create_app
from rectify_kit import migrations
from rectify_kit.clock import FixedClock
from rectify_kit.db import Database

sys.path.insert(0, str(Path(__file__).parent))

from notify_support import Mailbox, World, local, smtp_on_loopback

from rectify_kit.testing import (
    TokenFactory,
    backends,
    create_pg_database,
    drop_pg_database,
    sqlite_test_url,
)


@pytest.fixture(scope="session")
def tokens() -> TokenFactory:
    return TokenFactory()


@pytest.fixture(scope="module", params=backends())
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One migrated database per test module and backend."""
    if request.param == "sqlite":
        url = sqlite_test_url(tmp_path_factory.mktemp("notify"), "notify")
        migrations.upgrade(MIGRATIONS, url)
        yield url
        return
    url = asyncio.run(create_pg_database("notify_test"))
    try:
        migrations.upgrade(MIGRATIONS, url)
        yield url
    finally:
        asyncio.run(drop_pg_database(url))


async def empty_tables(url: str) -> None:
    database = Database(url)
    try:
        async with database.engine.begin() as conn:
            for table in reversed(metadata.sorted_tables):
                if table.name != "alembic_version":
                    await conn.execute(table.delete())
    finally:
        await database.dispose()


@pytest.fixture
async def db_url(database_url: str) -> AsyncIterator[str]:
    """The module's database, emptied after each test so tests never share rows."""
    yield database_url
    await empty_tables(database_url)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(local(2026, 9, 21, 10).astimezone(UTC))


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=db_url, var_dir=tmp_path, background=False, log_json=False)


@pytest.fixture
async def app(settings: Settings, clock: FixedClock, tokens: TokenFactory) -> AsyncIterator[FastAPI]:
    application = create_app(settings, clock=clock)
    application.state.token_verifier = tokens.verifier()
    async with LifespanManager(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://notify") as c:
        yield c


@pytest.fixture
async def world(app: FastAPI, clock: FixedClock, tokens: TokenFactory) -> World:
    w = World(app, clock, tokens)
    await w.directory()
    return w


@pytest.fixture
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server on loopback."""
    mailbox = Mailbox()
    with smtp_on_loopback(mailbox) as port:
        yield mailbox, port
