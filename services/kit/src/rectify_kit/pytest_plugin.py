"""The fixtures every service's tests share: a pytest plugin, the kit's `pytest11` entry point `rectify_kit`.

A service's `conftest.py` names only what is its own (the kit cannot know it):
- `migrations` (session scope): the service's Alembic folder; `metadata` (session scope): its tables;
- `app`: its `create_app(...)` over `database_url`, with `tokens.verifier()` and `clock` put in its state.

Every test then has:
- `backend` (module scope): the main backend, PostgreSQL when `RECTIFY_TEST_PG_URL` is set, else SQLite. A test
  or module marked `both_backends` runs on each configured backend (SQLite, and PostgreSQL when configured):
  the mark is for what depends on the database's dialect (SQL that differs or could: locking, upserts, `= ANY`,
  ILIKE, bulk writes, migrations, aggregates of a read model); the rest reads and writes the same on both, and
  the system tests run whole stacks on each. `RECTIFY_TEST_BACKENDS` may limit a run to one backend (so that a
  suite runs as two processes side by side): a run without the main backend keeps only the marked tests;
- `database_url`: a migrated database of the test's own, without rows: on SQLite a copy of a file migrated once
  per run, on PostgreSQL the module's database (a copy of one migrated once per run, dropped after the module),
  emptied before the test; `database`: a `Database` on it, disposed of after the test; `module_database_url`:
  the same for a whole module (a module uses one or the other: on PostgreSQL both are the module's database);
- `client`: an `httpx.AsyncClient` calling `app` in process; `tokens`: a `TokenFactory` for the run;
  `clock`: a `FixedClock` at `START` (a service's conftest may override any of these).
"""

from __future__ import annotations

import asyncio
import gc
import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from sqlalchemy import MetaData

from rectify_kit import migrations as alembic
from rectify_kit.clock import FixedClock
from rectify_kit.db import Database
from rectify_kit.testing import (
    TokenFactory,
    asyncpg_dsn,
    backends,
    create_pg_database,
    drop_pg_database,
    main_backend,
    sqlite_test_url,
)

START = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)  # Monday 1 June 2026, 10:00 in Asia/Shanghai


BOTH_BACKENDS = "both_backends"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{BOTH_BACKENDS}: run on every configured database backend, not the main one alone"
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what the run holds once its tests are collected (modules, test items, models, metadata) out of the
    garbage collector's reach, as a service does once started: every full collection during the run walked them
    again (in a service's folder of 60 tests: 2.1 s of the collector's CPU in the run's 12.7 s, 1.3 s frozen).
    What tests allocate is collected as before, and so are their leaks and unraisable exceptions. (The same two
    calls as `rectify_kit.serving.freeze_startup_objects`, whose module would bring uvicorn in.)"""
    gc.collect()
    gc.freeze()


def _on_another_backend(item: pytest.Item) -> bool:
    params = getattr(getattr(item, "callspec", None), "params", {})
    on = params.get("backend")
    return on is not None and on != main_backend() and item.get_closest_marker(BOTH_BACKENDS) is None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the runs on a backend other than the main one, but for the `both_backends` tests."""
    other = [item for item in items if _on_another_backend(item)]
    if other:
        config.hook.pytest_deselected(items=other)
        items[:] = [item for item in items if not _on_another_backend(item)]


@pytest.fixture(scope="session")
def tokens() -> TokenFactory:
    return TokenFactory()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that uses `backend` runs once per backend of this run, as read when its module is collected (not
    when this plugin is imported): a run in the same process as another (pytester's) reads its own environment."""
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", backends(), indirect=True, scope="module")


@pytest.fixture(scope="module")
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


class Templates:
    """Databases migrated once per run and per migrations folder (a run may hold several services' tests)."""

    def __init__(self, base: pytest.TempPathFactory) -> None:
        self._base = base
        self._sqlite: dict[Path, Path] = {}
        self._pg: dict[Path, str] = {}

    def sqlite(self, migrations: Path) -> Path:
        if migrations not in self._sqlite:
            directory = self._base.mktemp("template")
            alembic.upgrade(migrations, sqlite_test_url(directory, "template"))
            self._sqlite[migrations] = directory / "template.db"
        return self._sqlite[migrations]

    def pg(self, migrations: Path) -> str:
        if migrations not in self._pg:
            url = asyncio.run(create_pg_database("template"))
            self._pg[migrations] = url
            alembic.upgrade(migrations, url)
        return self._pg[migrations]

    def drop(self) -> None:
        for url in self._pg.values():
            asyncio.run(drop_pg_database(url))


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    made = Templates(tmp_path_factory)
    try:
        yield made
    finally:
        made.drop()


@pytest.fixture(scope="module")
def sqlite_template(migrations: Path, templates: Templates) -> Path:
    """A SQLite file migrated once for the whole run; each test works on a copy."""
    return templates.sqlite(migrations)


@pytest.fixture(scope="module")
def pg_template_url(migrations: Path, templates: Templates) -> str:
    """On PostgreSQL, a database migrated once for the whole run, copied for each module (CREATE DATABASE …
    TEMPLATE), which is much cheaper than migrating each."""
    return templates.pg(migrations)


@pytest.fixture(scope="module")
def pg_module_url(backend: str, request: pytest.FixtureRequest) -> Iterator[str | None]:
    """On PostgreSQL, one migrated database per test module (creating one per test is too slow)."""
    if backend != "postgresql":
        yield None
        return
    template: str = request.getfixturevalue("pg_template_url")
    url = asyncio.run(create_pg_database("test", template=template))
    try:
        yield url
    finally:
        asyncio.run(drop_pg_database(url))


async def empty_pg_tables(url: str, metadata: MetaData) -> None:
    """Remove every row of `metadata`'s tables and start every sequence again, in one round trip.

    DELETE, not TRUNCATE: a test leaves a few rows, and TRUNCATE makes new files for every table and index (about a
    second for a service's tables on the loaded test machine, against some 50 ms). Triggers are off (an audit log
    refuses to lose rows, and the foreign keys' checks are triggers too, so the order does not matter)."""
    deletes = "".join(f'DELETE FROM "{table.name}";' for table in metadata.sorted_tables)  # noqa: S608 (our tables)
    restart = (
        "SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false) FROM pg_sequences"
        " WHERE schemaname = current_schema();"
    )
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.execute(f"BEGIN; SET LOCAL session_replication_role = replica; {deletes} {restart} COMMIT;")
    finally:
        await conn.close()


def _empty_database(backend: str, request: pytest.FixtureRequest, directory: Path) -> str:
    """A migrated database without rows: on SQLite a copy of the template in `directory`, on PostgreSQL the
    module's database emptied."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        shutil.copy(template, directory / "service.db")
        return sqlite_test_url(directory, "service")
    url: str = request.getfixturevalue("pg_module_url")
    metadata: MetaData = request.getfixturevalue("metadata")
    asyncio.run(empty_pg_tables(url, metadata))
    return url


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated database of the test's own, without rows."""
    return _empty_database(backend, request, tmp_path)


@pytest.fixture(scope="module")
def module_database_url(backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database without rows for the module's tests to share."""
    return _empty_database(backend, request, tmp_path_factory.mktemp("module"))


@pytest_asyncio.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    opened = Database(database_url)
    try:
        yield opened
    finally:
        await opened.dispose()


@pytest_asyncio.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        yield http
