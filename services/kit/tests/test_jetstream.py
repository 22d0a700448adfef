"""The outbox relayed into NATS JetStream, against the real server on 127.0.0.1:4222: every event once, in order,
after a restart too, with two relays racing, only the types asked for and redacted."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import nats
import pytest
from nats.js import JetStreamContext

from rectify_kit.db import Database, make_metadata
from rectify_kit.feed import FeedEvent
from rectify_kit.jetstream import SEQ_HEADER, JetStreamRelay
from rectify_kit.outbox import append_event, make_event_table
from rectify_kit.settings import JetStreamSettings

from .conftest import MakeDatabase

NATS_URL = "nats://127.0.0.1:4222"
metadata = make_metadata()
events = make_event_table(metadata, "relayed_events")
AT = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


@pytest.fixture
async def stream() -> AsyncIterator[tuple[JetStreamSettings, JetStreamContext]]:
    """A stream of this test's own (runs at the same time share the server), deleted afterwards."""
    name = f"TEST_{uuid.uuid4().hex[:12].upper()}"
    settings = JetStreamSettings(url=NATS_URL, stream=name, subject=name.lower(), poll_seconds=0.05)
    nc = await nats.connect(NATS_URL)
    js = nc.jetstream()
    yield settings, js
    await js.delete_stream(name)
    await nc.close()


async def append(database: Database, *types: str) -> None:
    async with database.session() as session:
        for type_ in types:
            data: dict[str, Any] = {"n": type_, "secret": {"phone": "13800000000"}}
            await append_event(session, events, type=type_, subject_id="s", actor={}, data=data, occurred_at=AT)


async def stored(settings: JetStreamSettings, js: JetStreamContext) -> list[tuple[str, int, dict[str, Any]]]:
    """(subject, Rectify-Seq, payload) of every message in the stream, in stream order."""
    info = await js.stream_info(settings.stream)
    messages = [await js.get_msg(settings.stream, seq=n) for n in range(1, info.state.last_seq + 1)]
    return [(str(m.subject), int((m.headers or {})[SEQ_HEADER]), json.loads(m.data or b"")) for m in messages]


class TestJetStreamRelay:
    async def test_every_event_goes_out_once_in_order_with_its_feed_envelope(
        self, make_database: MakeDatabase, stream: tuple[JetStreamSettings, JetStreamContext]
    ) -> None:
        settings, js = stream
        database = await make_database(metadata)
        await append(database, "a.one", "a.two", "b.three")
        relay = JetStreamRelay(database, events, settings)
        assert await relay.run_once() == 3
        assert await relay.run_once() == 0
        await relay.close()
        messages = await stored(settings, js)
        prefix = settings.subject
        assert [(subject, seq) for subject, seq, _ in messages] == [
            (f"{prefix}.a.one", 1),
            (f"{prefix}.a.two", 2),
            (f"{prefix}.b.three", 3),
        ]
        assert set(messages[0][2]) == {"seq", "id", "type", "occurred_at", "actor", "subject_id", "data", "hash"}

    async def test_a_restarted_relay_goes_on_where_the_stream_ends(
        self, make_database: MakeDatabase, stream: tuple[JetStreamSettings, JetStreamContext]
    ) -> None:
        settings, js = stream
        database = await make_database(metadata)
        await append(database, "a.1", "a.2")
        first = JetStreamRelay(database, events, settings)
        await first.run_once()
        await first.close()
        await append(database, "a.3")
        again = JetStreamRelay(database, events, settings)
        assert await again.run_once() == 1
        await again.close()
        assert [seq for _, seq, _ in await stored(settings, js)] == [1, 2, 3]

    async def test_two_relays_racing_put_each_event_in_once_and_in_order(
        self, make_database: MakeDatabase, stream: tuple[JetStreamSettings, JetStreamContext]
    ) -> None:
        settings, js = stream
        database = await make_database(metadata)
        relays = [JetStreamRelay(database, events, settings) for _ in range(2)]
        await relays[0].connect()
        stop = asyncio.Event()
        running = [asyncio.create_task(relay.run_forever(stop=stop)) for relay in relays]
        for batch in range(10):
            await append(database, *(f"a.{batch}.{n}" for n in range(20)))
            await asyncio.sleep(0.01)
        async with asyncio.timeout(30):
            while len(await stored(settings, js)) < 200:  # noqa: ASYNC110 - the stream offers no event to wait on
                await asyncio.sleep(0.1)
        await asyncio.sleep(0.3)
        stop.set()
        await asyncio.gather(*running)
        assert [seq for _, seq, _ in await stored(settings, js)] == list(range(1, 201))

    async def test_only_the_types_asked_for_go_out_and_each_through_redact(
        self, make_database: MakeDatabase, stream: tuple[JetStreamSettings, JetStreamContext]
    ) -> None:
        settings, js = stream
        database = await make_database(metadata)
        await append(database, "public.a", "private.b", "public.c")

        def redact(event: FeedEvent) -> FeedEvent:
            return event.model_copy(update={"data": {k: v for k, v in event.data.items() if k != "secret"}})

        relay = JetStreamRelay(database, events, settings, types=("public.",), redact=redact)
        assert await relay.run_once() == 2
        await relay.close()
        messages = await stored(settings, js)
        assert [seq for _, seq, _ in messages] == [1, 3]
        assert all("secret" not in payload["data"] for _, _, payload in messages)
        # The hash is the stored event's: a reader can still check it against the audit chain's.
        assert all(len(payload["hash"]) == 64 for _, _, payload in messages)
