"""The outbox appends events in sequence, chained by hash; verify_chain names the first broken link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import delete, select, update

from rectify_kit.db import Database, make_metadata
from rectify_kit.outbox import (
    GENESIS_HASH,
    Event,
    NewEvent,
    append_event,
    append_events,
    canonical,
    chain_hash,
    chain_hash_of_canonical,
    head,
    make_event_table,
    verify_chain,
)

from .conftest import MakeDatabase

metadata = make_metadata()
events = make_event_table(metadata, "test_events")
AT = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
ACTOR = {"kind": "system", "id": None}


async def append_many(database: Database, count: int) -> list[Event]:
    written = []
    async with database.session() as session:
        for n in range(count):
            written.append(
                await append_event(
                    session,
                    events,
                    type="thing.changed",
                    subject_id=f"s{n % 3}",
                    actor=ACTOR,
                    data={"n": n, "名称": "整改"},
                    occurred_at=AT + timedelta(minutes=n),
                )
            )
    return written


def test_a_hash_from_canonical_parts_is_the_chain_hash() -> None:
    # The relay hashes the actor and data it has serialized once; verify_chain recomputes with chain_hash.
    odd = {"z": [1, 1.5, None, True], "a": {'é"\n': "整改\u2028", "b": -0.0}, "10": 1e300, "2": ""}
    cases: list[tuple[dict[str, Any], dict[str, Any]]] = [
        (ACTOR, {"n": 1}),
        ({"kind": "user", "id": "ü"}, odd),
        ({}, {}),
    ]
    for seq, (actor, data) in enumerate(cases, 1):
        at = AT + timedelta(microseconds=seq * 7)
        fields: dict[str, Any] = {
            "seq": seq * 1000,
            "id": f"e-{seq}",
            "type": "thing.changed",
            "occurred_at": at,
            "subject_id": "s\t",
        }
        expected = chain_hash(GENESIS_HASH, actor=actor, data=data, **fields)
        found = chain_hash_of_canonical(GENESIS_HASH, actor_json=canonical(actor), data_json=canonical(data), **fields)
        assert found == expected


class TestAppendEvent:
    async def test_sequence_starts_at_one_and_links_each_hash_to_the_previous(
        self, make_database: MakeDatabase
    ) -> None:
        database = await make_database(metadata)
        written = await append_many(database, 3)
        assert [e.seq for e in written] == [1, 2, 3]
        assert written[0].prev_hash == GENESIS_HASH
        assert written[1].prev_hash == written[0].hash
        assert written[2].prev_hash == written[1].hash

    async def test_stored_event_is_what_append_returned(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        shanghai = datetime(2026, 11, 25, 16, 0, 0, 123456, tzinfo=timezone(timedelta(hours=8)))
        async with database.session() as session:
            written = await append_event(
                session,
                events,
                type="thing.created",
                subject_id="s1",
                actor=ACTOR,
                data={"when": AT, "tuple": (1, 2), "ratio": 0.1 + 0.2, "big": 2**53 + 1, "text": '整改\n"ok"'},
                occurred_at=shanghai,
            )
        async with database.session(write=False) as session:
            stored = Event.from_row((await session.execute(select(events))).one())
        assert stored == written
        assert stored.occurred_at == datetime(2026, 11, 25, 8, 0, 0, 123456, tzinfo=UTC)
        assert stored.data["when"] == "2026-11-25 08:00:00+00:00"
        assert stored.data["tuple"] == [1, 2]
        async with database.session(write=False) as session:
            assert (await verify_chain(session, events)).ok  # the hash survives the database's JSON and time types

    async def test_later_transactions_continue_the_chain(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        first = await append_many(database, 2)
        second = await append_many(database, 1)
        assert second[0].seq == 3
        assert second[0].prev_hash == first[-1].hash

    async def test_rolled_back_event_leaves_no_gap(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        await append_many(database, 1)
        async with database.session() as session:
            await append_event(
                session, events, type="thing.changed", subject_id="s", actor=ACTOR, data={}, occurred_at=AT
            )
            await session.rollback()
        assert (await append_many(database, 1))[0].seq == 2


class TestAppendEvents:
    async def test_a_batch_chains_exactly_as_single_appends_would(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        singles = await append_many(database, 4)
        async with database.session() as session:
            await session.execute(delete(events))
            batch = await append_events(
                session,
                events,
                [
                    NewEvent(
                        type=e.type,
                        subject_id=e.subject_id,
                        actor=e.actor,
                        data=e.data,
                        occurred_at=e.occurred_at,
                        event_id=e.id,
                    )
                    for e in singles
                ],
            )
        assert batch == singles
        async with database.session(write=False) as session:
            assert (await verify_chain(session, events)).checked == 4

    async def test_a_batch_continues_the_chain(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        first = await append_many(database, 2)
        async with database.session() as session:
            batch = await append_events(
                session, events, [NewEvent(type="b", subject_id="s", actor={}, data={}, occurred_at=AT)] * 3
            )
        assert [e.seq for e in batch] == [3, 4, 5]
        assert batch[0].prev_hash == first[-1].hash
        async with database.session(write=False) as session:
            assert (await verify_chain(session, events)).ok

    async def test_an_empty_batch_writes_nothing(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        async with database.session() as session:
            assert await append_events(session, events, []) == []
            assert await head(session, events) == (0, GENESIS_HASH)


class TestHead:
    async def test_empty_outbox_has_head_zero_and_genesis_hash(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        async with database.session(write=False) as session:
            assert await head(session, events) == (0, GENESIS_HASH)

    async def test_head_is_the_last_event(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        written = await append_many(database, 4)
        async with database.session(write=False) as session:
            assert await head(session, events) == (4, written[-1].hash)


class TestVerifyChain:
    async def test_intact_chain_is_ok(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        await append_many(database, 5)
        async with database.session(write=False) as session:
            report = await verify_chain(session, events)
        assert (report.ok, report.checked, report.first_bad_seq) == (True, 5, None)

    async def test_empty_chain_is_ok(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        async with database.session(write=False) as session:
            report = await verify_chain(session, events)
        assert (report.ok, report.checked) == (True, 0)

    async def test_edited_data_names_its_seq(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        await append_many(database, 5)
        async with database.session() as session:
            await session.execute(update(events).where(events.c.seq == 3).values(data={"n": 99, "名称": "整改"}))
        async with database.session(write=False) as session:
            report = await verify_chain(session, events)
        assert (report.ok, report.checked, report.first_bad_seq) == (False, 2, 3)

    async def test_edited_row_with_recomputed_hash_breaks_the_next_link(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        await append_many(database, 5)
        async with database.session() as session:
            await session.execute(update(events).where(events.c.seq == 2).values(hash="f" * 64))
        async with database.session(write=False) as session:
            assert (await verify_chain(session, events)).first_bad_seq == 2

    async def test_deleted_row_is_found_where_the_gap_is(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        await append_many(database, 5)
        async with database.session() as session:
            await session.execute(delete(events).where(events.c.seq == 2))
        async with database.session(write=False) as session:
            report = await verify_chain(session, events)
        assert (report.ok, report.first_bad_seq) == (False, 3)

    async def test_reordered_rows_are_found(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        await append_many(database, 5)
        async with database.session() as session:
            # Swap events 3 and 4 by renumbering them through a free number.
            await session.execute(update(events).where(events.c.seq == 3).values(seq=100))
            await session.execute(update(events).where(events.c.seq == 4).values(seq=3))
            await session.execute(update(events).where(events.c.seq == 100).values(seq=4))
        async with database.session(write=False) as session:
            report = await verify_chain(session, events)
        assert (report.ok, report.first_bad_seq) == (False, 3)
