"""PostgreSQL only: the pool checks connections out without a round trip, and replaces those the server closed.

Exists only when RECTIFY_TEST_PG_URL is set (SQLite has no server to drop a connection).
"""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager

import pytest
from sqlalchemy import MetaData, event, text
from sqlalchemy.ext.asyncio import AsyncSession

from rectify_kit.db import Database
from rectify_kit.testing import pg_admin_url

from .conftest import MakeDatabase

if pg_admin_url():

    @pytest.fixture
    async def database(make_pg_database: MakeDatabase) -> Database:
        return await make_pg_database(MetaData(), pool_size=2, max_overflow=0)

    async def backend_pid(database: Database, *, write: bool) -> int:
        async with database.session(write=write) as session:
            return int((await session.execute(text("SELECT pg_backend_pid()"))).scalar_one())

    async def transaction_ids_in(opened: AbstractAsyncContextManager[AsyncSession]) -> set[int]:
        """The transaction ids of two statements in one session."""
        async with opened as session:
            return {int((await session.execute(text("SELECT pg_current_xact_id()::text"))).scalar_one()) for _ in "ab"}

    async def transaction_ids(database: Database, *, write: bool) -> set[int]:
        return await transaction_ids_in(database.session(write=write))

    class TestPool:
        async def test_a_connection_the_server_closed_is_replaced_at_checkout(
            self, database: Database, pg_url: str
        ) -> None:
            first = await backend_pid(database, write=False)
            other = Database(pg_url)
            async with other.session() as session:
                await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
            await other.dispose()
            await asyncio.sleep(0.2)  # the driver reads the server's goodbye while the connection is idle
            assert await backend_pid(database, write=False) != first

        async def test_a_read_session_runs_each_statement_on_its_own(self, database: Database) -> None:
            assert len(await transaction_ids(database, write=False)) == 2

        async def test_a_write_session_is_one_transaction(self, database: Database) -> None:
            assert len(await transaction_ids(database, write=True)) == 1

        async def test_a_snapshot_is_one_transaction_that_can_stream_rows(self, database: Database) -> None:
            assert len(await transaction_ids_in(database.snapshot())) == 1
            async with database.snapshot() as session:
                result = await session.stream(text("SELECT generate_series(1, 5)").execution_options(yield_per=2))
                assert [row[0] async for row in result] == [1, 2, 3, 4, 5]

    class TestReadTurns:
        async def test_reads_take_connections_in_the_order_they_asked(self, make_pg_database: MakeDatabase) -> None:
            """A read that asks as a connection comes back is not handed it before a read that was waiting:
            SQLAlchemy's asyncio pool gave it to whichever checkout ran first, the waiter then waited again."""
            database = await make_pg_database(MetaData(), pool_size=1, max_overflow=0)
            order: list[str] = []
            holding, done = asyncio.Event(), asyncio.Event()
            asked_last: list[asyncio.Task[None]] = []

            async def read(name: str) -> None:
                async with database.read_connection() as connection:
                    await connection.execute(text("SELECT 1"))
                    order.append(name)

            def ask_as_it_comes_back(*_: object) -> None:
                if not asked_last:
                    asked_last.append(asyncio.get_running_loop().create_task(read("asked last")))

            async def first() -> None:
                async with database.read_connection():
                    order.append("first")
                    holding.set()
                    await done.wait()
                    event.listen(database.engine.sync_engine.pool, "checkin", ask_as_it_comes_back)

            holder = asyncio.create_task(first())
            await holding.wait()
            waiting = asyncio.create_task(read("waiting"))
            await asyncio.sleep(0.05)
            done.set()
            await asyncio.gather(holder, waiting)
            await asked_last[0]
            assert order == ["first", "waiting", "asked last"]
