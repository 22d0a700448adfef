"""An outbox relayed into NATS JetStream, so that systems outside the cluster subscribe instead of polling.

Each event of the feed table goes to the subject `<subject>.<event type>` of one stream, as the feed hands it out
(its JSON, personal fields removed by `redact`, the hash of the whole stored event), in `seq` order. The stream
itself is the relay's cursor: on start and after any doubt, the relay reads the stream's last message and goes on
after its `Rectify-Seq` header. Each message carries `Nats-Msg-Id` (the event id: JetStream drops a message it
already has within its duplicate window) and `Nats-Expected-Last-Msg-Id` (the id of the event published before it:
JetStream refuses a message that would not follow it). So a restart, a crash between publishing and acking, or
the relay of a second replica running at the same time neither leaves a gap nor puts an event in twice or out of
order: the loser of a race is refused, reads the stream again and continues from there.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Table, select

from rectify_kit.clock import pause
from rectify_kit.db import Database
from rectify_kit.feed import FeedEvent
from rectify_kit.outbox import Event
from rectify_kit.settings import JetStreamSettings

if TYPE_CHECKING:
    # nats (and the aiohttp under it) is imported only by a relay that connects: some 0.2 s of CPU that every
    # process with JetStream off (the default) would otherwise spend at start.
    from nats.aio.client import Client
    from nats.js import JetStreamContext

log = logging.getLogger("rectify_kit.jetstream")
SEQ_HEADER = "Rectify-Seq"
# JetStream's error code for a Nats-Expected-Last-Msg-Id that is not the stream's last message id.
_WRONG_LAST_MSG_ID = 10070
BATCH = 500

Redact = Callable[[FeedEvent], FeedEvent]


@dataclass(frozen=True)
class Position:
    """The last event in the stream: its feed `seq` and its id (None for an empty stream)."""

    seq: int
    id: str | None


class JetStreamRelay:
    """Publishes the feed `table` to the stream of `settings`, the event types starting with `types` only (all when
    None), each through `redact`."""

    def __init__(
        self,
        database: Database,
        table: Table,
        settings: JetStreamSettings,
        *,
        types: Sequence[str] | None = None,
        redact: Redact | None = None,
    ) -> None:
        self.database = database
        self.table = table
        self.settings = settings
        self.types = tuple(types) if types is not None else None
        self.redact = redact
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Run `run_forever` in the background (an app's startup hook)."""
        self._stop.clear()
        self._task = asyncio.create_task(self.run_forever(stop=self._stop), name=f"jetstream-{self.settings.stream}")

    async def stop(self) -> None:
        """Let the batch in progress finish, then close (an app's shutdown hook)."""
        if self._task is not None:
            self._stop.set()
            await self._task
            self._task = None

    async def connect(self) -> JetStreamContext:
        if self._js is None:
            if not self.settings.url:
                raise RuntimeError("no JetStream URL")
            import nats  # only a relay that connects needs it (see the imports above)

            self._nc = await nats.connect(self.settings.url, name=f"rectify-relay-{self.settings.stream}")
            self._js = self._nc.jetstream()
            await self._ensure_stream(self._js)
        return self._js

    async def close(self) -> None:
        if self._nc is not None:
            await self._nc.close()
        self._nc = self._js = None

    async def _ensure_stream(self, js: JetStreamContext) -> None:
        from nats.js.api import StreamConfig  # imported here: see connect
        from nats.js.errors import NotFoundError

        try:
            await js.stream_info(self.settings.stream)
        except NotFoundError:
            await js.add_stream(StreamConfig(name=self.settings.stream, subjects=[f"{self.settings.subject}.>"]))

    async def position(self) -> Position:
        """Where the stream ends: the feed position of its last message."""
        js = await self.connect()
        info = await js.stream_info(self.settings.stream)
        if info.state.last_seq == 0:
            return Position(0, None)
        last = await js.get_msg(self.settings.stream, seq=info.state.last_seq)
        headers = last.headers or {}
        return Position(int(headers[SEQ_HEADER]), headers.get("Nats-Msg-Id"))

    async def run_once(self) -> int:
        """Publish what the feed holds after the stream's end, up to a batch; returns the events published."""
        at = await self.position()
        async with self.database.session(write=False) as session:
            rows = (
                await session.execute(
                    select(self.table).where(self.table.c.seq > at.seq).order_by(self.table.c.seq).limit(BATCH)
                )
            ).all()
        published = 0
        previous = at.id
        for row in rows:
            event = Event.from_row(row)
            if self.types is not None and not event.type.startswith(self.types):
                continue
            if not await self._publish(event, previous):
                return published  # another relay got there first: start again from the stream's end
            previous = event.id
            published += 1
        return published

    async def _publish(self, event: Event, previous: str | None) -> bool:
        from nats.js.errors import APIError  # imported here: see connect

        js = await self.connect()
        out = FeedEvent(**event.to_json())
        if self.redact is not None:
            out = self.redact(out)
        headers = {"Nats-Msg-Id": event.id, SEQ_HEADER: str(event.seq)}
        if previous is not None:
            headers["Nats-Expected-Last-Msg-Id"] = previous
        payload = json.dumps(out.model_dump(mode="json"), ensure_ascii=False).encode()
        try:
            await js.publish(
                f"{self.settings.subject}.{event.type}", payload, stream=self.settings.stream, headers=headers
            )
        except APIError as exc:
            if exc.err_code == _WRONG_LAST_MSG_ID:
                return False
            raise
        return True

    async def run_forever(self, *, stop: asyncio.Event) -> None:
        """Relay until `stop` is set; an error (NATS or the database away) is logged and retried with backoff."""
        delay = self.settings.poll_seconds
        while not stop.is_set():
            try:
                if await self.run_once():
                    continue
                delay = self.settings.poll_seconds
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("relay to JetStream failed; retrying in %.0fs", delay)
                delay = min(max(delay, 1.0) * 2, 30.0)
                await self.close()
            await pause(delay, stop=stop)
        await self.close()
