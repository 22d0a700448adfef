"""issues-api's feed in NATS JetStream (the real server on 127.0.0.1:4222): the types a feed client may read, in
order, the submitter's contacts left out, relayed while the app runs when ISSUES_JETSTREAM__URL is set."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import nats
import pytest
import pytest_asyncio
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from issues_api.events.jetstream import for_stream, start_jetstream, stop_jetstream
from issues_testing.ledger import LedgerWorld
from rectify_kit.feed import FeedEvent
from rectify_kit.jetstream import SEQ_HEADER
from rectify_kit.settings import JetStreamSettings

pytestmark = pytest.mark.asyncio(loop_scope="module")
NATS_URL = "nats://127.0.0.1:4222"


@pytest_asyncio.fixture(loop_scope="module")
async def stream() -> AsyncIterator[tuple[JetStreamSettings, JetStreamContext]]:
    name = f"TEST_ISSUES_{uuid.uuid4().hex[:10].upper()}"
    nc = await nats.connect(NATS_URL)
    js = nc.jetstream()
    yield JetStreamSettings(url=NATS_URL, stream=name, subject=name.lower(), poll_seconds=0.05), js
    await js.delete_stream(name)
    await nc.close()


async def messages(js: JetStreamContext, name: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        info = await js.stream_info(name)
    except NotFoundError:  # the relay has not created it yet
        return []
    got = [await js.get_msg(name, seq=n) for n in range(1, info.state.last_seq + 1)]
    return [(int((m.headers or {})[SEQ_HEADER]), json.loads(m.data or b"")) for m in got]


async def test_the_app_relays_its_feed_while_it_runs(
    world: LedgerWorld, stream: tuple[JetStreamSettings, JetStreamContext]
) -> None:
    settings, js = stream
    issue = await world.create_issue()
    world.app.state.settings = world.settings.model_copy(update={"jetstream": settings})
    await start_jetstream(world.app)
    try:
        async with asyncio.timeout(20):
            while not any(m["subject_id"] == issue["id"] for _, m in await messages(js, settings.stream)):  # noqa: ASYNC110
                await asyncio.sleep(0.1)
    finally:
        await stop_jetstream(world.app)
        world.app.state.settings = world.settings
    relayed = await messages(js, settings.stream)
    seqs = [seq for seq, _ in relayed]
    assert seqs == sorted(set(seqs))
    assert any(m["type"] == "issue.created" and m["subject_id"] == issue["id"] for _, m in relayed)
    assert all(m["type"].startswith(("issue.", "intake.", "campaign.", "unit.", "user.")) for _, m in relayed)


async def test_the_stream_is_written_for_a_reader_without_contacts() -> None:
    submitted = FeedEvent(
        seq=7, id="e7", type="intake.submitted", occurred_at="2026-11-25T08:00:00+00:00", actor={}, subject_id="i1",
        data={"intake": {"id": "i1"}, "submitter": {"contact_phone": "13800000000"}}, hash="0" * 64,
    )  # fmt: skip
    assert for_stream(submitted).data == {"intake": {"id": "i1"}}
