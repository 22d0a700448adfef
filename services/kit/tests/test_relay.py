"""Outbox.add: events staged with the change are in the feed, numbered and chained, once the block commits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rectify_kit.db import Database, make_metadata
from rectify_kit.outbox import NewEvent, iter_events, make_event_table, verify_chain
from rectify_kit.relay import Outbox, make_staging_table

from .conftest import MakeDatabase

metadata = make_metadata()
events = make_event_table(metadata, "relay_events")
outbox = Outbox(events, make_staging_table(metadata, events))
AT = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def new(n: int) -> NewEvent:
    return NewEvent(
        "thing.changed", f"s{n % 3}", {"kind": "system"}, {"n": n, "名称": "整改"}, AT + timedelta(minutes=n)
    )


async def feed(database: Database) -> list[tuple[int, int]]:
    async with database.session(write=False) as session:
        return [(e.seq, e.data["n"]) async for e in iter_events(session, events)]


class TestOutboxAdd:
    async def test_events_are_in_the_feed_in_order_when_the_block_returns(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        async with database.session() as session:
            await outbox.add(session, [new(0), new(1)])
            await outbox.add(session, [new(2)])
        assert await feed(database) == [(1, 0), (2, 1), (3, 2)]
        async with database.session(write=False) as session:
            assert (await verify_chain(session, events)).ok

    async def test_events_of_a_rolled_back_block_never_appear(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)

        async def failing_change() -> None:
            async with database.session() as session:
                await outbox.add(session, [new(0)])
                raise RuntimeError("the change fails")

        with pytest.raises(RuntimeError):
            await failing_change()
        async with database.session() as session:
            await outbox.add(session, [new(1)])
        assert await feed(database) == [(1, 1)]

    async def test_the_stored_event_hashes_what_a_reader_gets_back(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        odd = NewEvent("thing.changed", "s", {"kind": "system"}, {"n": 0, "x": 1.5, "nested": {"b": [1, None]}}, AT)
        async with database.session() as session:
            await outbox.add(session, [odd])
        async with database.session(write=False) as session:
            report = await verify_chain(session, events)
        assert (report.ok, report.checked) == (True, 1)

    async def test_relay_loop_moves_rows_a_commit_left_staged(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        # A session committed outside `Database.session()`: no relay after the commit.
        async with database.write_sessionmaker() as session:
            await outbox.add(session, [new(0)])
            await session.commit()
        await outbox.relay(database)
        assert await feed(database) == [(1, 0)]
