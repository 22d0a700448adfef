"""PostgreSQL only: a relay round runs on the driver in a transaction of its own, so it must tell the feed's
readers itself and never hand a connection back to the pool inside that transaction."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, insert, select, text

from rectify_kit.db import Database, make_metadata
from rectify_kit.feed import FeedNotifier
from rectify_kit.outbox import NewEvent, make_event_table, verify_chain
from rectify_kit.relay import Outbox, make_staging_table
from rectify_kit.testing import pg_admin_url

from .conftest import MakeDatabase

metadata = make_metadata()
events = make_event_table(metadata, "round_events")
staging = make_staging_table(metadata, events)
outbox = Outbox(events, staging)
AT = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def new(n: int, event_id: str | None = None) -> NewEvent:
    return NewEvent("t.written", f"s{n}", {}, {"n": n}, AT, event_id=event_id or str(uuid.uuid4()))


if pg_admin_url():

    @pytest.fixture
    async def database(make_pg_database: MakeDatabase) -> Database:
        return await make_pg_database(metadata)

    class TestRelayRound:
        async def test_a_round_that_moved_events_wakes_the_feeds_readers_and_an_empty_one_does_not(
            self, database: Database
        ) -> None:
            notifier = FeedNotifier()
            woken: list[int] = []
            notifier.notify = lambda: woken.append(1)  # type: ignore[method-assign]
            notifier.watch(database)
            async with database.session() as session:  # staged with a statement of its own: no session tells
                await session.execute(insert(staging), [_staged(n) for n in range(3)])
            assert await outbox.relay_round(database) == 3
            assert woken == [1]
            assert await outbox.relay_round(database) == 0
            assert woken == [1]

        async def test_a_round_that_fails_half_way_leaves_no_connection_inside_its_transaction(
            self, database: Database
        ) -> None:
            await _stage_an_id_the_feed_holds(database)
            with pytest.raises(Exception, match=r"same-id|unique|duplicate"):
                await outbox.relay_round(database)
            async with database.session(write=False) as session:
                stuck = (
                    await session.execute(
                        text(
                            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                            "AND state LIKE 'idle in transaction%'"
                        )
                    )
                ).scalar_one()
                assert stuck == 0
            async with database.session() as session:  # the staged row put right, the next round moves it
                await session.execute(staging.update().values(id=str(uuid.uuid4())))
            assert await outbox.relay_round(database) == 1
            assert await _feed_count(database) == 2
            async with database.session(write=False) as session:
                assert (await verify_chain(session, events)).ok

        async def test_writers_relaying_side_by_side_leave_every_connection_back_in_the_pool(
            self, database: Database
        ) -> None:
            # A round's connection is kept for the caller waiting for the next round, and given back once nobody
            # waits: after the writers are done no connection of the read engine is still checked out.
            async def writer(w: int) -> None:
                for n in range(5):
                    async with database.session() as session:
                        await outbox.add(session, [new(w * 10 + n)])

            await asyncio.gather(*(writer(w) for w in range(8)))
            assert database.read_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
            assert await _feed_count(database) == 40
            async with database.session(write=False) as session:
                assert (await verify_chain(session, events)).ok

        async def test_the_callers_of_a_round_go_on_together_when_it_ends(self, database: Database) -> None:
            # Passing a lock one at a time, each caller a turn of the event loop after the last, made the next
            # round wait for all of them.
            async with database.session() as session:
                await session.execute(insert(staging), [_staged(n) for n in range(3)])
            turns = 0

            async def count_turns() -> None:
                nonlocal turns
                while True:
                    await asyncio.sleep(0)
                    turns += 1

            async def caller() -> int:
                await outbox.relay(database)
                return turns

            counting = asyncio.create_task(count_turns())
            ended = await asyncio.gather(*(caller() for _ in range(8)))
            counting.cancel()
            assert max(ended) - min(ended) <= 1

        async def test_a_caller_cancelled_while_it_waits_leaves_the_round_to_the_others(
            self, database: Database
        ) -> None:
            async with database.session() as session:  # staged with a statement of its own: no relay ran yet
                await session.execute(insert(staging), [_staged(n) for n in range(3)])
            gone, waiting = asyncio.create_task(outbox.relay(database)), asyncio.create_task(outbox.relay(database))
            await asyncio.sleep(0)  # both wait for the one round now starting
            gone.cancel()
            await waiting
            assert gone.cancelled()
            assert await _feed_count(database) == 3

        async def test_every_caller_of_a_failed_round_raises_and_a_later_one_gets_a_new_round(
            self, database: Database
        ) -> None:
            await _stage_an_id_the_feed_holds(database)
            failed = await asyncio.gather(outbox.relay(database), outbox.relay(database), return_exceptions=True)
            assert [type(error).__name__ for error in failed] == ["UniqueViolationError"] * 2
            async with database.session() as session:  # put right, the next caller's round moves it
                await session.execute(staging.update().values(id=str(uuid.uuid4())))
            await outbox.relay(database)
            assert await _feed_count(database) == 2
            assert database.read_engine.pool.checkedout() == 0  # type: ignore[attr-defined]


async def _stage_an_id_the_feed_holds(database: Database) -> None:
    async with database.session() as session:
        await outbox.add(session, [new(1, "same-id")])
    async with database.session() as session:  # staged again with an id the feed already holds
        await session.execute(insert(staging).values(_staged(2) | {"id": "same-id"}))


async def _feed_count(database: Database) -> int:
    async with database.session(write=False) as session:
        return int((await session.execute(select(func.count()).select_from(events))).scalar_one())


def _staged(n: int) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "type": "t.written",
        "occurred_at": AT,
        "actor": {},
        "subject_id": "s",
        "data": {"n": n},
    }
