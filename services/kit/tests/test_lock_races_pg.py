"""PostgreSQL only: work that PostgreSQL aborts as a deadlock's victim is run again (`retry_lock_races`), so a
request that flags many rows while another writer locks them in the other order succeeds instead of failing.

The deadlock is made on purpose: the other writer locks row 2, the work locks row 1 and waits for row 2, then the
other writer asks for row 1. The work waited first, so its deadlock check runs first and it is the victim (the
other writer's own check is pushed back to be sure). SQLite has one writer at a time and cannot deadlock.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import Column, Integer, Table, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from rectify_kit.db import Database, make_metadata, retry_lock_races
from rectify_kit.testing import pg_admin_url

from .conftest import MakeDatabase

metadata = make_metadata()
rows = Table("race_rows", metadata, Column("id", Integer, primary_key=True), Column("n", Integer, nullable=False))


async def wait_until_a_row_lock_is_awaited(database: Database) -> None:
    """Returns once a connection to this test's database waits for a lock (bounded: a bug fails instead of
    hanging). This database only: other suites on the same server wait for locks of their own, and taking their
    wait for the work's let the other writer lock row 1 first, so no deadlock was made."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    for _ in range(500):
        async with database.engine.connect() as conn:
            if (await conn.execute(query)).scalar_one():
                return
        await asyncio.sleep(0.01)
    raise AssertionError("the work never waited for the other writer's row")


if pg_admin_url():

    @pytest.fixture
    async def database(make_pg_database: MakeDatabase) -> Database:
        opened = await make_pg_database(metadata)
        async with opened.session() as session:
            await session.execute(insert(rows), [{"id": 1, "n": 0}, {"id": 2, "n": 0}])
        return opened

    async def flag_all_while_another_locks_in_the_other_order(database: Database, *, attempts: int) -> list[int]:
        """The deadlock above; returns how many times the work ran (it raises what `retry_lock_races` raises)."""
        runs: list[int] = []
        other = database.write_sessionmaker()
        try:
            await other.execute(text("SET LOCAL deadlock_timeout = '10s'"))
            await other.execute(update(rows).where(rows.c.id == 2).values(n=rows.c.n + 1))

            async def flag_all() -> None:
                runs.append(len(runs) + 1)
                await session.execute(update(rows).values(n=rows.c.n + 10))

            async with database.session() as session:
                work = asyncio.create_task(retry_lock_races(session, flag_all, attempts=attempts))
                await wait_until_a_row_lock_is_awaited(database)
                # The other writer now asks for row 1, which the work holds: a cycle.
                await other.execute(update(rows).where(rows.c.id == 1).values(n=rows.c.n + 1))
                await other.commit()
                await work
        finally:
            await other.close()
        return runs

    class TestRetryLockRaces:
        async def test_the_deadlocks_victim_runs_again_and_both_writers_changes_stay(self, database: Database) -> None:
            runs = await flag_all_while_another_locks_in_the_other_order(database, attempts=3)
            assert runs == [1, 2]
            async with database.session(write=False) as session:
                assert dict((await session.execute(select(rows.c.id, rows.c.n))).all()) == {1: 11, 2: 11}

        async def test_out_of_attempts_the_deadlock_is_raised_and_nothing_of_the_work_stays(
            self, database: Database
        ) -> None:
            with pytest.raises(DBAPIError, match="deadlock"):
                await flag_all_while_another_locks_in_the_other_order(database, attempts=1)
            async with database.session(write=False) as session:
                assert dict((await session.execute(select(rows.c.id, rows.c.n))).all()) == {1: 1, 2: 1}
