"""notify-api killed in the middle of firing or of delivering, then restarted: nothing lost, nothing twice."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, timedelta

from notify_support import local, wait_until
from sqlalchemy import select
from test_replicas import seed_due_timers

from notify_api.config import DeliverySettings
from notify_api.delivery.channels import SendResult
from notify_api.delivery.models import Delivery, DeliveryAttempt
from notify_api.delivery.service import enqueue
from notify_api.delivery.worker import DeliveryWorker
from notify_api.escalations.models import Escalation, events
from notify_api.notifications.service import QuietHours
from notify_api.scheduler.loop import Scheduler
from rectify_kit.clock import FixedClock
from rectify_kit.db import Database
from rectify_kit.outbox import verify_chain


async def test_scheduler_killed_mid_tick_resumes_without_gaps_or_repeats(db_url: str) -> None:
    clock = FixedClock(local(2026, 10, 8, 9, 30).astimezone(UTC))
    first = Database(db_url)
    await seed_due_timers(first, count=300, due=clock)
    scheduler = Scheduler(database=first, clock=clock, quiet=QuietHours(), fire_hour=9, batch_size=40)

    async def some_fired() -> bool:
        async with first.session(write=False) as session:
            return (await session.execute(select(Escalation.id).limit(1))).first() is not None

    task = asyncio.create_task(scheduler.tick())
    await wait_until(some_fired)
    task.cancel()  # the process dies: the batch in flight rolls back
    await asyncio.gather(task, return_exceptions=True)
    await first.dispose()

    second = Database(db_url)
    try:
        await Scheduler(database=second, clock=clock, quiet=QuietHours(), fire_hour=9, batch_size=40).tick()
        async with second.session(write=False) as session:
            keys = (await session.execute(select(Escalation.dedupe_key))).scalars().all()
            chain = await verify_chain(session, events)
        assert len(keys) == 300
        assert len(set(keys)) == 300
        assert chain.ok
        assert chain.checked == 300
    finally:
        await second.dispose()


class Receiver:
    """Records a delivery only once its send completes; from call `block_from` on, sends hang (the kill)."""

    def __init__(self, block_from: int | None = None) -> None:
        self.received: list[str] = []
        self.calls = 0
        self.block_from = block_from

    async def send(self, delivery: Delivery, secret: str | None) -> SendResult:
        self.calls += 1
        if self.block_from is not None and self.calls >= self.block_from:
            await asyncio.Event().wait()
        self.received.append(delivery.id)
        return SendResult(ok=True, status_code=200)


async def test_delivery_killed_mid_batch_resends_only_what_was_not_sent(db_url: str) -> None:
    clock = FixedClock(local(2026, 10, 8, 10).astimezone(UTC))
    settings = DeliverySettings(lease_seconds=60, batch_size=100)
    first = Database(db_url)
    async with first.session() as session:
        for i in range(40):
            await enqueue(
                session,
                dedupe_key=f"k{i}",
                channel="email",
                target=f"u{i}@example.gov.cn",
                event_type="escalation.fired",
                subject="s",
                body="b",
                now=clock.now(),
                not_before=clock.now(),
            )
    dying = Receiver(block_from=15)
    worker = DeliveryWorker(database=first, senders={"email": dying}, clock=clock, settings=settings, concurrency=5)
    task = asyncio.create_task(worker.run_once())

    async def stuck() -> bool:
        # 14 sent and recorded, 5 hanging in flight. (A kill between a receiver's acceptance and our record
        # resends with the same delivery id, X-Rectify-Delivery or Message-ID, for the receiver to drop.)
        async with first.session(write=False) as session:
            sent = (await session.execute(select(Delivery.id).where(Delivery.status == "sent"))).all()
        return dying.calls >= 19 and len(sent) == 14

    await wait_until(stuck)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await first.dispose()

    clock.advance(timedelta(seconds=61))  # the dead worker's lease runs out
    second = Database(db_url)
    try:
        fresh = Receiver()
        restarted = DeliveryWorker(database=second, senders={"email": fresh}, clock=clock, settings=settings)
        while await restarted.run_once():
            pass
        async with second.session(write=False) as session:
            statuses = (await session.execute(select(Delivery.status))).scalars().all()
            attempts = (await session.execute(select(DeliveryAttempt.delivery_id))).scalars().all()
        everything = Counter(dying.received + fresh.received)
        assert len(everything) == 40
        assert set(everything.values()) == {1}
        assert len(dying.received) == 14
        assert Counter(statuses) == {"sent": 40}
        assert sorted(Counter(attempts).values()) == [1] * 40
    finally:
        await second.dispose()
