"""The background work of notify-api: the feed consumer, the scheduler and the delivery worker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

import httpx

from notify_api.calendar import service as calendar_service
from notify_api.config import Settings
from notify_api.delivery.channels import EmailSender, HttpSender, Sender
from notify_api.delivery.worker import DeliveryWorker
from notify_api.feed.handler import IssuesFeedHandler
from notify_api.feed.models import feed_cursors
from notify_api.feed.source import IssuesFeedSource
from notify_api.metrics import WorkMetrics
from notify_api.notifications.service import QuietHours
from notify_api.scheduler.loop import Scheduler
from rectify_kit.clock import Clock, pause
from rectify_kit.consumer import FeedConsumer, FeedSource
from rectify_kit.db import Database

log = logging.getLogger("notify.runtime")


@dataclass
class Runtime:
    consumer: FeedConsumer
    scheduler: Scheduler
    worker: DeliveryWorker
    http: httpx.AsyncClient
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)


def build_runtime(
    settings: Settings,
    *,
    database: Database,
    clock: Clock,
    metrics: WorkMetrics,
    source: FeedSource | None = None,
) -> Runtime:
    http = httpx.AsyncClient(timeout=settings.delivery.http_timeout_seconds)
    quiet = QuietHours(start_hour=settings.quiet_start_hour, end_hour=settings.quiet_end_hour)
    http_sender = HttpSender(http, timeout=settings.delivery.http_timeout_seconds)
    senders: dict[str, Sender] = {"email": EmailSender(settings.smtp)}
    senders.update(dict.fromkeys(("webhook", "wecom", "dingtalk", "sms"), http_sender))
    consumer = FeedConsumer(
        name="issues",
        database=database,
        cursor_table=feed_cursors,
        source=source or IssuesFeedSource(settings, http=http),
        handler=IssuesFeedHandler(clock=clock, quiet=quiet, fire_hour=settings.fire_hour),
    )
    scheduler = Scheduler(
        database=database,
        clock=clock,
        quiet=quiet,
        fire_hour=settings.fire_hour,
        batch_size=settings.scheduler_batch_size,
        metrics=metrics,
    )
    worker = DeliveryWorker(
        database=database, senders=senders, clock=clock, settings=settings.delivery, metrics=metrics
    )
    return Runtime(consumer=consumer, scheduler=scheduler, worker=worker, http=http)


async def seed_calendar(database: Database, clock: Clock) -> None:
    """Load the official years chinese-calendar knows; a failure is logged, never fatal."""
    try:
        async with database.session() as session:
            added = await calendar_service.seed(session, clock=clock)
        if added:
            log.info("calendar years loaded: %s", added)
    except Exception:
        log.exception("calendar seeding failed")


async def _deliver_forever(worker: DeliveryWorker, stop: asyncio.Event) -> None:
    delay = 1.0
    while not stop.is_set():
        try:
            sent = await worker.run_once()
            delay = 1.0
            if sent:
                continue
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("delivery worker failed; retrying in %.0fs", delay)
            delay = min(delay * 2, 60.0)
        await pause(delay, stop=stop)


def start(runtime: Runtime, settings: Settings) -> None:
    """Start the loops; each survives errors (issues-api not up yet, database away) by backing off."""
    runtime.tasks = [
        asyncio.create_task(runtime.consumer.run_forever(stop=runtime.stop)),
        asyncio.create_task(
            runtime.scheduler.run_forever(interval=settings.scheduler_interval_seconds, stop=runtime.stop)
        ),
        asyncio.create_task(_deliver_forever(runtime.worker, runtime.stop)),
    ]


# How long a shutdown waits for the loops to finish the round in progress before cancelling them.
STOP_GRACE_SECONDS = 10.0


async def stop(runtime: Runtime) -> None:
    """Let each loop finish its round (a transaction cut off half-way can keep SQLite locked), then cancel
    what is still waiting, such as a feed long-poll."""
    runtime.stop.set()
    if runtime.tasks:
        _, waiting = await asyncio.wait(runtime.tasks, timeout=STOP_GRACE_SECONDS)
        for task in waiting:
            task.cancel()
    for task in runtime.tasks:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    await runtime.http.aclose()
