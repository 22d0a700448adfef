"""Fixtures: a migrated database per test on every backend, an app with test tokens and a fixed clock."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from rectify_kit import migrations
from rectify_kit.clock import FixedClock
from rectify_kit.db import Database
from rectify_kit.testing import TokenFactory, backends, create_pg_database, drop_pg_database, sqlite_test_url
from report_api.__main__ import MIGRATIONS
from report_api.config import Settings
from report_api.main import create_app

# The event-history builders live beside the tests; the bench imports them too.
sys.path.insert(0, str(Path(__file__).parent))

TODAY = datetime(2026, 10, 9, 4, 0, tzinfo=UTC)  # Friday 9 October 2026, 12:00 in Asia/Shanghai


@asynccontextmanager
async def migrated_database(backend: str, directory: Path) -> AsyncIterator[str]:
    """A fresh migrated database on `backend`, dropped afterwards; yields its URL."""
    url = sqlite_test_url(directory, "report") if backend == "sqlite" else await create_pg_database("report_test")
    migrations.upgrade(MIGRATIONS, url)
    try:
        yield url
    finally:
        if backend == "postgresql":
            await drop_pg_database(url)


@pytest.fixture(params=backends())
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    async with migrated_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
async def database(db_url: str) -> AsyncIterator[Database]:
    db = Database(db_url)
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture(scope="session")
def tokens() -> TokenFactory:
    return TokenFactory()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TODAY)


def make_app(database: Database, tokens: TokenFactory, clock: FixedClock, var_dir: Path) -> FastAPI:
    settings = Settings(var_dir=var_dir, database_url=database.url, consumers_enabled=False)
    application = create_app(settings, database=database)
    application.state.token_verifier = tokens.verifier()
    application.state.clock = clock
    return application


@pytest.fixture
def app(database: Database, tokens: TokenFactory, clock: FixedClock, tmp_path: Path) -> FastAPI:
    return make_app(database, tokens, clock, tmp_path)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://report") as http:
        yield http
