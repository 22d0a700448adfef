"""Wakes this process's delivery worker when a commit queued deliveries or made queued ones sendable.

The worker used to look for due deliveries every second: a writing transaction a second on an idle system. Now it
sleeps until the next delivery it knows of falls due (a retry, a lease running out), or until a commit of this
process rings: one that inserted deliveries, changed one (a manual retry) or changed a webhook subscription (a
resumed one's deliveries are sendable again, a deleted one's become dead letters). What other processes queue is
found by its slower fallback round (`delivery.worker.IDLE_SECONDS`); each replica's worker sends what its own
scheduler, feed and API queue.
"""

from __future__ import annotations

import asyncio
from itertools import chain
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from notify_api.delivery.models import Delivery
from notify_api.webhooks.models import WebhookSubscription
from rectify_kit.db import Database

CHANGED = "notify_deliveries_changed"
_WATCHED = (Delivery, WebhookSubscription)


def mark(session: AsyncSession) -> None:
    """Ring after the commit of `session`: for a Core statement on deliveries, which the unit of work does not see."""
    session.info[CHANGED] = True


class Doorbell:
    def __init__(self) -> None:
        self.rung = asyncio.Event()

    def watch(self, database: Database) -> None:
        """Ring after every commit of a session of `database` that queued or changed deliveries or subscriptions."""

        def after_flush(session: Session, context: Any) -> None:
            if CHANGED not in session.info and any(
                isinstance(row, _WATCHED) for row in chain(session.new, session.dirty, session.deleted)
            ):
                session.info[CHANGED] = True

        def after_commit(session: Session) -> None:
            if session.info.pop(CHANGED, False):
                self.rung.set()

        sa_event.listen(database.sync_session_class, "after_flush", after_flush)
        sa_event.listen(database.sync_session_class, "after_commit", after_commit)
