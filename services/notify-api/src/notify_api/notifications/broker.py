"""Live inbox updates: after a commit that created notifications, each listening user's stream wakes.

A user's stream may be open on any replica of notify-api, while the notification may be created on another. With
`NOTIFY_REDIS_URL` every replica publishes its committed messages on one Redis channel and every replica delivers
what it hears to the streams open on it; without Redis (one process) messages go straight to the local streams.
A live message is a nudge, not the record: one lost with a replica killed between its commit and its publishing
is still in the inbox, which the stream's reader loads on (re)connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    # The Redis client (some 0.1 s of CPU to import) only with a NOTIFY_REDIS_URL: one process needs none.
    from redis.asyncio import Redis

log = logging.getLogger("notify.inbox")
CHANNEL = "rectify:notify:inbox"
_RECONNECT_SECONDS = 1.0

Messages = list[tuple[str, dict[str, Any]]]


class InboxBroker:
    """Queues per listening user in this process, fed by this process's commits or, with Redis, every replica's."""

    def __init__(self, redis_url: str | None = None) -> None:
        self._queues: dict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)
        self._redis: Redis | None = None
        if redis_url:
            from redis.asyncio import Redis  # only with a NOTIFY_REDIS_URL: see the imports above

            self._redis = Redis.from_url(redis_url)
        self._listener: asyncio.Task[None] | None = None
        self._sending: set[asyncio.Task[None]] = set()
        self.listening = asyncio.Event()
        self._tried = asyncio.Event()

    def open_streams(self) -> int:
        """How many subscriptions (live streams) are open in this process."""
        return sum(len(queues) for queues in self._queues.values())

    def subscribe(self, user_id: str) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=100)
        self._queues[user_id].add(queue)
        return queue

    def unsubscribe(self, user_id: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._queues[user_id].discard(queue)
        if not self._queues[user_id]:
            del self._queues[user_id]

    def publish(self, user_id: str, message: dict[str, Any]) -> None:
        """Deliver to the streams of `user_id` open in this process."""
        for queue in list(self._queues.get(user_id, ())):
            if not queue.full():
                queue.put_nowait(message)

    def publish_on_commit(self, session: AsyncSession, messages: Messages) -> None:
        """Publish `(user id, message)` pairs once `session`'s transaction commits; a rollback drops them."""
        if not messages:
            return

        pending = [True]  # a rollback drops them, and a later commit of the same session sends nothing

        def after_commit(_session: Session) -> None:
            if pending:
                pending.clear()
                self._send(messages)

        def after_rollback(_session: Session) -> None:
            pending.clear()

        sa_event.listen(session.sync_session, "after_commit", after_commit, once=True)
        sa_event.listen(session.sync_session, "after_rollback", after_rollback, once=True)

    def _send(self, messages: Messages) -> None:
        if self._redis is None:
            for user_id, message in messages:
                self.publish(user_id, message)
            return
        task = asyncio.get_running_loop().create_task(self._publish_everywhere(self._redis, messages))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _publish_everywhere(self, redis: Redis, messages: Messages) -> None:
        from redis.exceptions import RedisError  # imported with Redis

        try:
            async with redis.pipeline(transaction=False) as pipe:
                for user_id, message in messages:
                    pipe.publish(CHANNEL, json.dumps({"user_id": user_id, "message": message}, ensure_ascii=False))
                await pipe.execute()
        except RedisError as exc:
            log.warning("inbox messages delivered on this replica only: redis failed (%s)", exc)
            for user_id, message in messages:
                self.publish(user_id, message)

    async def start(self) -> None:
        """Listen to every replica's messages (with Redis); returns once subscribed, or after the first failure."""
        if self._redis is None or self._listener is not None:
            return
        self._listener = asyncio.create_task(self._listen(self._redis), name="inbox-listener")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._tried.wait(), 5)

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        if self._sending:
            await asyncio.wait(set(self._sending), timeout=2)
        if self._redis is not None:
            await self._redis.aclose()

    async def _listen(self, redis: Redis) -> None:
        from redis.exceptions import RedisError  # imported with Redis

        while True:
            try:
                async with redis.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    self.listening.set()
                    self._tried.set()
                    async for raw in pubsub.listen():
                        if raw.get("type") == "message":
                            self._deliver(raw["data"])
            except RedisError as exc:
                self.listening.clear()
                self._tried.set()
                log.warning("inbox listener lost redis (%s); reconnecting", exc)
                await asyncio.sleep(_RECONNECT_SECONDS)

    def _deliver(self, data: bytes) -> None:
        try:
            envelope = json.loads(data)
            self.publish(str(envelope["user_id"]), dict(envelope["message"]))
        except (ValueError, KeyError, TypeError):
            log.warning("inbox listener skipped a malformed message")


async def next_message(
    queue: asyncio.Queue[dict[str, Any]], *, stop: asyncio.Event, seconds: float
) -> dict[str, Any] | None:
    """The next message of a subscription; None after `seconds` without one, or once `stop` is set."""
    getting = asyncio.ensure_future(queue.get())
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({getting, stopping}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
        if not getting.done():
            getting.cancel()
    return getting.result() if getting.done() and not getting.cancelled() else None
