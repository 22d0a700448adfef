"""Database fixtures for the kit's tests: SQLite always, PostgreSQL too when RECTIFY_TEST_PG_URL is set.

A PostgreSQL database is created per test module and dropped afterwards; each test creates the tables it
needs on it and drops them at the end, so tests never share rows.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import MetaData

from rectify_kit.db import Database
from rectify_kit.testing import backends, create_pg_database, drop_pg_database, sqlite_test_url

MakeDatabase = Callable[[MetaData], Awaitable[Database]]


@pytest.fixture(scope="module", params=backends())
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database per test module and backend."""
    if request.param == "sqlite":
        yield sqlite_test_url(tmp_path_factory.mktemp("kit"), "kit")
        return
    url = asyncio.run(create_pg_database("kit_test"))
    try:
        yield url
    finally:
        asyncio.run(drop_pg_database(url))


@pytest.fixture
async def make_database(database_url: str) -> AsyncIterator[MakeDatabase]:
    """Open the module's database with the given tables created; they are dropped after the test."""
    opened: list[tuple[Database, MetaData]] = []

    async def make(metadata: MetaData) -> Database:
        database = Database(database_url)
        async with database.engine.begin() as conn:
            await conn.run_sync(metadata.drop_all)
            await conn.run_sync(metadata.create_all)
        opened.append((database, metadata))
        return database

    yield make
    for database, metadata in opened:
        async with database.engine.begin() as conn:
            await conn.run_sync(metadata.drop_all)
        await database.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return sqlite_test_url(tmp_path, "kit")
