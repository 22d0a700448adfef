"""The database layer: SQLite pragmas, UTC timestamps, queued SQLite writers, one transaction per request."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from rectify_kit.db import Database, SessionDep, UTCDateTime, fetch_rows, make_metadata
from rectify_kit.errors import Conflict, install_problem_handlers

from .conftest import MakeDatabase

metadata = make_metadata()
parents = Table("parents", metadata, Column("id", Integer, primary_key=True))
children = Table(
    "children",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("parent_id", ForeignKey("parents.id"), nullable=False),
)
stamps = Table("stamps", metadata, Column("id", Integer, primary_key=True), Column("at", UTCDateTime()))
counters = Table("counters", metadata, Column("id", Integer, primary_key=True), Column("value", Integer))


class Base(DeclarativeBase):
    metadata = MetaData()


class Thing(Base):
    __tablename__ = "things"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20), unique=True)


class TestSqliteConnection:
    async def test_wal_journal_and_foreign_keys_are_on(self, sqlite_url: str) -> None:
        database = Database(sqlite_url)
        try:
            async with database.engine.connect() as conn:
                assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
                assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        finally:
            await database.dispose()

    async def test_concurrent_read_modify_write_sessions_queue_instead_of_failing(self, sqlite_url: str) -> None:
        database = Database(sqlite_url)
        async with database.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
            await conn.execute(insert(counters).values(id=1, value=0))

        async def increment() -> None:
            async with database.session(write=True) as session:
                value = (await session.execute(select(counters.c.value))).scalar_one()
                await asyncio.sleep(0.01)  # let the others read in between, were they allowed to
                await session.execute(update(counters).values(value=value + 1))

        try:
            await asyncio.gather(*(increment() for _ in range(8)))
            async with database.session(write=False) as session:
                assert (await session.execute(select(counters.c.value))).scalar_one() == 8
        finally:
            await database.dispose()


class TestForeignKeys:
    async def test_child_without_parent_is_refused(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        with pytest.raises(IntegrityError):
            async with database.session() as session:
                await session.execute(insert(children).values(id=1, parent_id=42))


class TestUTCDateTime:
    async def test_aware_datetime_comes_back_equal_and_in_utc(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        shanghai = datetime(2026, 11, 25, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=8)))
        async with database.session() as session:
            await session.execute(insert(stamps).values(id=1, at=shanghai))
        async with database.session(write=False) as session:
            stored = (await session.execute(select(stamps.c.at))).scalar_one()
        assert stored == shanghai
        assert stored.utcoffset() == timedelta(0)
        assert stored.hour == 1

    async def test_naive_datetime_is_refused(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        with pytest.raises(StatementError, match="naive datetime refused"):
            async with database.session() as session:
                await session.execute(insert(stamps).values(id=1, at=datetime(2026, 1, 1)))  # noqa: DTZ001

    async def test_null_stays_null(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        async with database.session() as session:
            await session.execute(insert(stamps).values(id=1, at=None))
            assert (await session.execute(select(stamps.c.at))).scalar_one() is None


class TestFetchRows:
    """A prebuilt statement read through `fetch_rows` gives what SQLAlchemy's execution gives."""

    async def test_rows_as_sqlalchemy_reads_them(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        shanghai = datetime(2026, 11, 25, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=8)))
        async with database.session() as session:
            await session.execute(insert(stamps).values([{"id": 1, "at": shanghai}, {"id": 2, "at": None}]))
            await session.execute(insert(parents).values(id=7))
        # A literal (bound by SQLAlchemy itself), a parameter used twice, a UTCDateTime column, a NULL.
        statement = (
            select(stamps.c.id, stamps.c.at, literal("x").label("word"))
            .where(or_(stamps.c.id == bindparam("wanted"), stamps.c.id == bindparam("wanted") + 1))
            .where(stamps.c.id != 99)
            .order_by(stamps.c.id)
        )
        async with database.read_connection() as connection:
            rows = await fetch_rows(connection, statement, {"wanted": 1})
            again = await fetch_rows(connection, statement, {"wanted": 2})
            expected = (await connection.execute(statement, {"wanted": 1})).all()
        assert [tuple(row) for row in rows] == [tuple(row) for row in expected] == [(1, shanghai, "x"), (2, None, "x")]
        assert rows[0][1].utcoffset() == timedelta(0)
        assert [tuple(row) for row in again] == [(2, None, "x")]

    async def test_a_session_reads_its_own_uncommitted_rows(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        async with database.session() as session:
            await session.execute(insert(parents).values(id=3))
            connection = await session.connection()
            assert [tuple(r) for r in await fetch_rows(connection, _PARENT_IDS, {"least": 0})] == [(3,)]
            await session.rollback()

    async def test_a_failing_statement_raises_as_sqlalchemy_does(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        async with database.read_connection() as connection:
            with pytest.raises(DBAPIError):
                await fetch_rows(connection, _MISSING, {"id": 1})
        async with database.read_connection() as connection:
            assert [tuple(r) for r in await fetch_rows(connection, _PARENT_IDS, {"least": 0})] == []

    async def test_a_read_connection_is_back_in_the_pool_without_a_turn_of_the_event_loop(
        self, make_database: MakeDatabase
    ) -> None:
        # SQLAlchemy's `async with` closes in a task of its own: a turn for the pool and one for the caller, which
        # under load held every read's connection milliseconds longer. Autocommit PostgreSQL closes in place.
        database = await make_database(metadata)
        turned: list[bool] = []
        async with database.read_connection() as connection:
            await fetch_rows(connection, _PARENT_IDS, {"least": 0})
            asyncio.get_running_loop().call_soon(turned.append, True)
        assert database.read_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
        assert turned == ([] if database.is_postgres else [True])

    async def test_a_read_connection_whose_block_raised_is_back_in_the_pool(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)

        async def failing_read() -> None:
            async with database.read_connection() as connection:
                await fetch_rows(connection, _PARENT_IDS, {"least": 0})
                raise LookupError

        with pytest.raises(LookupError):
            await failing_read()
        assert database.read_engine.pool.checkedout() == 0  # type: ignore[attr-defined]


_PARENT_IDS = select(parents.c.id).where(parents.c.id > bindparam("least"))
# A table never created: every backend refuses the statement.
_MISSING = select(Table("missing", MetaData(), Column("id", Integer)).c.id).where(
    literal_column("id") == bindparam("id")
)


class TestSessionContext:
    async def test_commits_when_the_block_ends(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        async with database.session() as session:
            await session.execute(insert(parents).values(id=1))
        async with database.session(write=False) as session:
            assert (await session.execute(select(func.count()).select_from(parents))).scalar_one() == 1

    async def test_rolls_back_when_the_block_raises(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)

        async def fail_after_insert() -> None:
            async with database.session() as session:
                await session.execute(insert(parents).values(id=1))
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            await fail_after_insert()
        async with database.session(write=False) as session:
            assert (await session.execute(select(func.count()).select_from(parents))).scalar_one() == 0


def session_app(database: Database) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.state.database = database

    @app.post("/things/{name}")
    async def create(name: str, session: SessionDep) -> dict[str, str]:
        # Not flushed here: the INSERT only runs in the commit, after the route has returned.
        session.add(Thing(name=name))
        return {"name": name}

    @app.post("/refused/{name}")
    async def refused(name: str, session: SessionDep) -> None:
        session.add(Thing(name=name))
        await session.flush()
        raise Conflict("no")

    return app


async def count_things(database: Database) -> int:
    async with database.session(write=False) as session:
        return int((await session.execute(select(func.count()).select_from(Thing))).scalar_one())


class TestSessionDep:
    async def test_changes_are_committed_when_the_response_arrives(self, make_database: MakeDatabase) -> None:
        database = await make_database(Base.metadata)
        transport = httpx.ASGITransport(app=session_app(database))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            response = await c.post("/things/a")
            assert response.status_code == 200
            assert await count_things(database) == 1

    async def test_a_failing_commit_is_an_error_never_a_success(self, make_database: MakeDatabase) -> None:
        database = await make_database(Base.metadata)
        transport = httpx.ASGITransport(app=session_app(database), raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            assert (await c.post("/things/same")).status_code == 200
            duplicate = await c.post("/things/same")
        assert duplicate.status_code == 500
        assert duplicate.headers["content-type"] == "application/problem+json"
        assert await count_things(database) == 1

    async def test_changes_are_rolled_back_when_the_route_raises(self, make_database: MakeDatabase) -> None:
        database = await make_database(Base.metadata)
        transport = httpx.ASGITransport(app=session_app(database))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            response = await c.post("/refused/a")
        assert response.status_code == 409
        assert await count_things(database) == 0
