"""Live inbox updates: after a commit that created notifications, each listening user's stream wakes."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from rectify_kit.db import Database

PENDING_KEY = "notify_inbox_pending"


class InboxBroker:
    """Queues per listening user in this process; messages are published only once their commit is done."""

    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)

    def subscribe(self, user_id: str) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=100)
        self._queues[user_id].add(queue)
        return queue

    def unsubscribe(self, user_id: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._queues[user_id].discard(queue)
        if not self._queues[user_id]:
            del self._queues[user_id]

    def publish(self, user_id: str, message: dict[str, Any]) -> None:
        for queue in list(self._queues.get(user_id, ())):
            if not queue.full():
                queue.put_nowait(message)

    def watch(self, database: Database) -> None:
        def after_commit(session: Session) -> None:
            session.info.pop("notify_dispatch_cache", None)
            for user_id, message in session.info.pop(PENDING_KEY, []):
                self.publish(user_id, message)

        def after_rollback(session: Session) -> None:
            session.info.pop("notify_dispatch_cache", None)
            session.info.pop(PENDING_KEY, None)

        sa_event.listen(database.sync_session_class, "after_commit", after_commit)
        sa_event.listen(database.sync_session_class, "after_rollback", after_rollback)
