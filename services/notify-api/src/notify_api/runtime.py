"""The background work of notify-api: the feed consumer, the scheduler and the delivery worker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

from notify_api.calendar import service as calendar_service
from notify_api.calendar.quiet import QuietHours
from notify_api.config import Settings
from notify_api.delivery.channels import EmailSender, HttpSender, Sender
from notify_api.delivery.doorbell import Doorbell
from notify_api.delivery.worker import DeliveryWorker
from notify_api.feed.handler import IssuesFeedHandler
from notify_api.feed.models import feed_cursors
from notify_api.feed.source import IssuesFeedSource
from notify_api.metrics import WorkMetrics
from notify_api.notifications.broker import InboxBroker
from notify_api.outbound import GuardedTransport, OutboundGuard, tls_context
from notify_api.scheduler import Scheduler
from rectify_kit.clock import Clock, first_of, pause
from rectify_kit.consumer import FeedConsumer, FeedSource
from rectify_kit.db import Database

log = logging.getLogger("notify.runtime")


@dataclass
class Runtime:
    consumer: FeedConsumer
    scheduler: Scheduler
    worker: DeliveryWorker
    http: httpx.AsyncClient
    outbound: httpx.AsyncClient
    # Rung by this process's commits that queue deliveries: wakes the worker (delivery/doorbell.py).
    doorbell: Doorbell = field(default_factory=Doorbell)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)


def build_runtime(
    settings: Settings,
    *,
    database: Database,
    clock: Clock,
    metrics: WorkMetrics,
    inbox: InboxBroker,
    guard: OutboundGuard,
    source: FeedSource | None = None,
    stop: asyncio.Event | None = None,
) -> Runtime:
    """`stop`, when given, is the event that ends the loops (the app's draining event: set when the server
    begins to stop, so the loops finish their round while the last requests are answered)."""
    # issues-api is ours (the feed); every other address is another system's and goes through the guard.
    # One TLS context for both (see `tls_context`).
    http = httpx.AsyncClient(verify=tls_context(), timeout=settings.delivery.http_timeout_seconds)
    outbound = httpx.AsyncClient(transport=GuardedTransport(guard), timeout=settings.delivery.http_timeout_seconds)
    quiet = QuietHours(start_hour=settings.quiet_start_hour, end_hour=settings.quiet_end_hour)
    http_sender = HttpSender(outbound, timeout=settings.delivery.http_timeout_seconds)
    senders: dict[str, Sender] = {"email": EmailSender(settings.smtp)}
    senders.update(dict.fromkeys(("webhook", "wecom", "dingtalk", "sms"), http_sender))
    handler = IssuesFeedHandler(
        clock=clock, quiet=quiet, fire_hour=settings.fire_hour, inbox=inbox, public_url=settings.public_base_url
    )
    consumer = FeedConsumer(
        name="issues",
        database=database,
        cursor_table=feed_cursors,
        source=source or IssuesFeedSource(settings, http=http),
        page_handler=handler.apply_page,
    )
    scheduler = Scheduler(
        database=database,
        clock=clock,
        quiet=quiet,
        fire_hour=settings.fire_hour,
        batch_size=settings.scheduler_batch_size,
        metrics=metrics,
        inbox=inbox,
        public_url=settings.public_base_url,
    )
    worker = DeliveryWorker(
        database=database, senders=senders, clock=clock, settings=settings.delivery, metrics=metrics
    )
    runtime = Runtime(consumer=consumer, scheduler=scheduler, worker=worker, http=http, outbound=outbound)
    runtime.doorbell.watch(database)
    if stop is not None:
        runtime.stop = stop
    return runtime


async def seed_calendar(database: Database, clock: Clock) -> None:
    """Record the official years chinese-calendar knows and announce overrides never published; a failure is
    logged, never fatal."""
    try:
        async with database.session() as session:
            added = await calendar_service.seed(session, clock=clock)
            told = await calendar_service.publish_unannounced(session, clock=clock)
        if added or told:
            log.info("calendar years known: %s; overrides announced: %s", added, told)
    except Exception:
        log.exception("calendar seeding failed")


async def _forever(name: str, work: Callable[[], Awaitable[object]], *, interval: float, stop: asyncio.Event) -> None:
    """Run `work` every `interval` seconds until `stop` is set. An error (issues-api not up yet, database away)
    is logged and retried with backoff."""
    delay = interval
    while not stop.is_set():
        try:
            await work()
            delay = interval
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s failed; retrying in %.0fs", name, delay)
            delay = min(delay * 2, 60.0)
        await pause(delay, stop=stop)


# How often the delivery worker looks for deliveries with nothing to wake it: those other processes queued (each
# replica's worker is woken by what its own process queues, see delivery/doorbell.py).
DELIVERY_IDLE_SECONDS = 5.0


async def _deliver_forever(worker: DeliveryWorker, *, bell: asyncio.Event, stop: asyncio.Event) -> None:
    """Send batches while there are due deliveries; then sleep until the next one known falls due, a commit of
    this process rings `bell`, or DELIVERY_IDLE_SECONDS pass. An error is logged and retried with backoff."""
    failures = 0
    while not stop.is_set():
        bell.clear()  # what rings from here on is seen by the round below or wakes the wait after it
        try:
            if await worker.run_once():
                failures = 0
                continue
            failures, delay = 0, worker.seconds_idle(at_most=DELIVERY_IDLE_SECONDS)
        except asyncio.CancelledError:
            raise
        except Exception:
            failures += 1
            delay = min(2.0**failures, 60.0)
            log.exception("delivery worker failed; retrying in %.0fs", delay)
        await first_of(bell, stop, seconds=delay)


def start(runtime: Runtime, settings: Settings) -> None:
    """Start the loops; each survives errors (issues-api not up yet, database away) by backing off."""
    stop, tick = runtime.stop, settings.scheduler_interval_seconds
    runtime.tasks = [
        asyncio.create_task(runtime.consumer.run_forever(stop=stop)),
        asyncio.create_task(_forever("scheduler tick", runtime.scheduler.tick, interval=tick, stop=stop)),
        asyncio.create_task(_deliver_forever(runtime.worker, bell=runtime.doorbell.rung, stop=stop)),
    ]


# How long a shutdown waits for the loops to finish the round in progress before cancelling them (they were told
# to stop when the server began to: see rectify_kit.serving; the whole stop stays within 10 s).
STOP_GRACE_SECONDS = 3.0


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
    await runtime.outbound.aclose()
