"""Two schedulers with their own engines on one database fire every due step exactly once (1,000 timers
with both running at once on PostgreSQL; on SQLite, the embedded single-process database, one after the other)."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC

import pytest
from sqlalchemy import func, select

from notify_api.calendar.quiet import QuietHours
from notify_api.delivery.models import Delivery
from notify_api.escalations.models import Escalation, Timer
from notify_api.notifications.models import Notification
from notify_api.outbox import events
from notify_api.scheduler import Scheduler
from notify_testing.timers import seed_due_timers
from notify_testing.world import local
from rectify_kit.clock import FixedClock
from rectify_kit.db import Database
from rectify_kit.outbox import verify_chain

# On both backends: what is proven differs by dialect (at once on PostgreSQL, one after the other on SQLite).
pytestmark = pytest.mark.both_backends

PG_DUE = 1000
# On SQLite the second scheduler only runs after the first; fewer timers prove the same there.
SQLITE_DUE = 200


async def test_two_schedulers_fire_every_due_timer_exactly_once(database_url: str) -> None:
    clock = FixedClock(local(2026, 10, 8, 9, 30).astimezone(UTC))
    first, second = Database(database_url), Database(database_url)
    try:
        due = PG_DUE if first.is_postgres else SQLITE_DUE
        await seed_due_timers(first, count=due, due=clock)
        quiet = QuietHours()
        a = Scheduler(database=first, clock=clock, quiet=quiet, fire_hour=9, batch_size=50)
        b = Scheduler(database=second, clock=clock, quiet=quiet, fire_hour=9, batch_size=50)
        if first.is_postgres:
            results = await asyncio.gather(a.tick(), b.tick())  # replicas claim with FOR UPDATE SKIP LOCKED
            assert all(r.fired > 0 for r in results)
        else:
            # SQLite is one process's embedded database: a second scheduler comes after the first, like a
            # restart, and must find nothing left to send.
            assert (await a.tick()).fired == due
            assert (await b.tick()).fired == 0
        async with first.session(write=False) as session:
            keys = (await session.execute(select(Escalation.dedupe_key))).scalars().all()
            notified = (await session.execute(select(Notification.dedupe_key))).scalars().all()
            mails = (await session.execute(select(Delivery.target))).scalars().all()
            left = (await session.execute(select(func.count()).where(Timer.status == "pending"))).scalar_one()
            chain = await verify_chain(session, events)
        assert len(keys) == due
        assert max(Counter(keys).values()) == 1
        assert len(notified) == due
        assert len(set(notified)) == due
        assert len(mails) == due
        assert left == 0
        assert chain.ok
        assert chain.checked == due
    finally:
        await first.dispose()
        await second.dispose()
