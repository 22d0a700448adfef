"""Benchmark of notify-api's feed consumer: the demo's issues feed applied as notify-api applies it.

Loads the demo into a scratch issues-api database (SQLite, `--items` generated items, as `python -m issues_api
demo`), reads its whole event feed, then applies it to a fresh notify-api database through notify-api's own
consumer (`build_runtime`'s `FeedConsumer` and `IssuesFeedHandler`) in pages of `--page` events, as the live
consumer receives them: 200 when catching up on a backlog, a few events when it follows creates as they come.
Prints the CPU milliseconds of this process per event (`time.process_time`, applying only: loading the demo and
reading its feed are left out), wall seconds, and a digest of what the events left in notify-api's tables
(issue states, timers, inbox rows, deliveries, submitters; random ids and insertion order left out), so a change
that must not change behaviour can be checked with the same digest before and after. `--dump FILE` writes those
rows as JSON to compare in detail. `--webhook` adds a subscription taking every event first (each event then
queues a webhook delivery). SQLite, or PostgreSQL with `--pg-url` (a scratch database, dropped afterwards).

    python bench/bench_notify_feed.py [--items 300] [--page 200] [--repeat 1] [--webhook] [--pg-url URL] [--dump FILE]
                                      [--rate 100 --linger 0,0.05,0.1]

`--rate R` replays the feed live instead: its events become readable R a second, and the consumer's own loop
(`run_forever`, pages of up to 200, a fetch waiting for the next event when it has read them all) follows them,
once per `--linger` value (its wait after a short page), alternated; CPU per event then includes the loop's idle
wake-ups, and the pages it took are counted. What a page costs on the wire (the feed's request in issues-api, the
HTTP client here) is not in it: a live page costs that too.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import cProfile
import hashlib
import json
import logging
import os
import pstats
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry
from sqlalchemy import insert, select, text

from notify_api.__main__ import MIGRATIONS
from notify_api.calendar import service as calendar_service
from notify_api.config import Settings
from notify_api.metrics import work_metrics
from notify_api.notifications.broker import InboxBroker
from notify_api.outbound import guard_from
from notify_api.runtime import build_runtime
from notify_api.webhooks.models import WebhookSubscription
from rectify_kit import migrations
from rectify_kit.clock import BUSINESS_TZ, FixedClock
from rectify_kit.consumer import FeedConsumer, FetchedPage
from rectify_kit.db import Database
from rectify_kit.feed import FeedEvent
from rectify_kit.testing import create_pg_database, drop_pg_database

# What the events leave, without the random ids and in a stable order.
DIGEST_QUERIES = {
    "issues": "SELECT * FROM issues ORDER BY id",
    "timers": "SELECT dedupe_key, issue_id, step, version, level, due_at, status, provisional, recipients, channels "
    "FROM timers ORDER BY dedupe_key",
    "notifications": "SELECT dedupe_key, user_id, kind, level, issue_id, intake_id, title, body, created_at, read_at "
    "FROM notifications ORDER BY dedupe_key",
    "deliveries": "SELECT dedupe_key, channel, target, user_id, event_type, level, subject, body, payload, "
    "subscription_id, status, next_attempt_at FROM deliveries ORDER BY dedupe_key",
    "submitters": "SELECT * FROM submitters ORDER BY intake_id",
    "escalation_policies": "SELECT campaign_id, body, version, source FROM escalation_policies ORDER BY campaign_id",
    "units": "SELECT * FROM units ORDER BY id",
    "users": "SELECT * FROM users ORDER BY id",
    "clients": "SELECT * FROM clients ORDER BY id",
}


async def cached_demo_feed(items: int, tmp: Path, cache_file: str | None) -> list[FeedEvent]:
    """`demo_feed`, read from `cache_file` (JSON) when it exists, else made and written there when one is named."""
    cache = Path(cache_file) if cache_file else None
    if cache is not None and cache.exists():
        return [FeedEvent(**e) for e in json.loads(cache.read_text())]
    feed = await demo_feed(items, tmp)
    if cache is not None:
        cache.write_text(json.dumps([e.model_dump() for e in feed], ensure_ascii=False))
    return feed


async def demo_feed(items: int, tmp: Path) -> list[FeedEvent]:
    """The whole feed of a freshly loaded demo (issues-api in process, SQLite)."""
    from issues_api.__main__ import MIGRATIONS as ISSUES_MIGRATIONS
    from issues_api.campaigns.definition import default_definition_path
    from issues_api.config import Settings as IssuesSettings
    from issues_api.demo.loader import load_demo
    from issues_api.events.models import events as events_table
    from rectify_kit.outbox import Event

    url = f"sqlite+aiosqlite:///{tmp / 'issues.db'}"
    migrations.upgrade(ISSUES_MIGRATIONS, url)
    settings = IssuesSettings(database_url=url, var_dir=tmp / "issues-var", demo=True, demo_items=items)
    database = Database(url)
    try:
        definition = default_definition_path(settings.demo_definition).read_bytes()
        await load_demo(database, settings, definition_file=definition, items=items)
        async with database.session(write=False) as session:
            rows = (await session.execute(select(events_table).order_by(events_table.c.seq))).all()
    finally:
        await database.dispose()
    return [FeedEvent(**Event.from_row(r).to_json()) for r in rows]


async def digest(database: Database) -> tuple[str, dict[str, list[Any]]]:
    dumped: dict[str, list[Any]] = {}
    async with database.session(write=False) as session:
        for table, query in DIGEST_QUERIES.items():
            rows = (await session.execute(text(query))).mappings().all()
            dumped[table] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    body = json.dumps(dumped, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode()).hexdigest()[:16], dumped


def _plain(value: Any) -> Any:
    """One form for both databases: JSON text parsed, moments in UTC, booleans as booleans."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    return value


class LiveSource:
    """The feed as it grows: its events readable `rate` a second from the first fetch on; a fetch that finds
    nothing new waits for the next event (a long-poll woken by the relay)."""

    def __init__(self, feed: list[FeedEvent], rate: float) -> None:
        self.feed = feed
        self.rate = rate
        self.started: float | None = None
        self.pages = 0

    async def fetch(self, *, after: int, limit: int, wait: float) -> FetchedPage:
        if self.started is None:
            self.started = time.perf_counter()
        first = bisect.bisect_right([e.seq for e in self.feed], after)
        while True:
            readable = min(len(self.feed), int((time.perf_counter() - self.started) * self.rate) + 1)
            if readable > first or readable == len(self.feed):
                break
            await asyncio.sleep((readable / self.rate) - (time.perf_counter() - self.started))
        events = self.feed[first:readable][:limit]
        head = self.feed[readable - 1].seq
        self.pages += 1 if events else 0
        return FetchedPage(events=events, next=events[-1].seq if len(events) == limit else head, head=head)


async def follow(consumer: FeedConsumer, source: LiveSource, last: int) -> None:
    """Run the consumer's loop until it has applied the feed up to `last`."""
    stop = asyncio.Event()
    loop = asyncio.create_task(consumer.run_forever(stop=stop))
    try:
        # Its cursor, read twice a second: the same few queries for every linger (the replay's wall time is the rate's).
        while await consumer.position() < last:  # noqa: ASYNC110 - the loop's own state, not an event to wait on
            await asyncio.sleep(0.5)
    finally:
        stop.set()
        await loop


async def replay(
    url: str,
    feed: list[FeedEvent],
    *,
    page: int,
    webhook: bool,
    now: datetime,
    profile: str | None,
    rate: float | None = None,
    linger: float = 0.0,
) -> tuple[float, float, str, dict[str, list[Any]], int]:
    """Apply `feed` to a fresh database at `url`; returns CPU seconds, wall seconds, the digest and the pages
    (live, `rate` given: followed by the consumer's loop with `linger`)."""
    migrations.upgrade(MIGRATIONS, url)
    settings = Settings(database_url=url, background=False, log_json=False)
    database = Database(url, **settings.engine_options())
    clock = FixedClock(now)
    runtime = build_runtime(
        settings,
        database=database,
        clock=clock,
        metrics=work_metrics(CollectorRegistry()),
        inbox=InboxBroker(None),
        guard=guard_from(settings.outbound),
    )
    try:
        async with database.session() as session:
            await calendar_service.seed(session, clock=clock)
            if webhook:
                await session.execute(
                    insert(WebhookSubscription).values(
                        id="sub-all",
                        url="https://hooks.example.org/rectify",
                        secret="s",  # noqa: S106 - a bench's subscription, never sent to
                        event_types=["*"],
                        campaign_ids=[],
                        unit_ids=[],
                        created_at=now,
                        owner_scopes=[],
                        owner_unit_ids=[],
                    )
                )
        profiler = cProfile.Profile() if profile else None
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        pages = 0
        if rate is not None:
            source = LiveSource(feed, rate)
            consumer = runtime.consumer
            consumer.source, consumer.linger = source, linger
            await follow(consumer, source, feed[-1].seq)
            pages = source.pages
        else:
            for start in range(0, len(feed), page):
                events = feed[start : start + page]
                await runtime.consumer.apply(FetchedPage(events=events, next=events[-1].seq, head=feed[-1].seq))
                pages += 1
        if profiler and profile:
            profiler.disable()
            profiler.dump_stats(profile)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        found, dumped = await digest(database)
    finally:
        await runtime.http.aclose()
        await runtime.outbound.aclose()
        await database.dispose()
    return cpu, wall, found, dumped, pages


async def one_run(
    args: argparse.Namespace, feed: list[FeedEvent], now: datetime, tmp: str, *, run: int, linger: float
) -> None:
    if args.pg_url:
        url = await create_pg_database("notify_feed_bench")
    else:
        url = f"sqlite+aiosqlite:///{Path(tmp) / f'notify-{run}-{linger}.db'}"
    try:
        cpu, wall, found, dumped, pages = await replay(
            url,
            feed,
            page=args.page,
            webhook=args.webhook,
            now=now,
            profile=args.profile if run == 0 else None,
            rate=args.rate,
            linger=linger,
        )
    finally:
        if args.pg_url:
            await drop_pg_database(url)
    label = "postgresql" if args.pg_url else "sqlite"
    per_event = cpu / len(feed) * 1000
    how = f" (live, {args.rate:g} a second, linger {linger:g} s)" if args.rate else f" of {args.page}"
    print(
        f"[{label}] {len(feed):,} events in {pages:,} pages{how}: {per_event:.2f} ms CPU per event "
        f"({cpu:.2f} s CPU, {wall:.2f} s wall); digest {found}"
    )
    if args.dump and run == 0:
        body = json.dumps(dumped, sort_keys=True, ensure_ascii=False, indent=1, default=str)
        await asyncio.to_thread(Path(args.dump).write_text, body)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--page", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--webhook", action="store_true")
    parser.add_argument("--pg-url", default=None)
    parser.add_argument("--dump", default=None)
    parser.add_argument("--profile", default=None, help="write cProfile stats of the first run's applying here")
    parser.add_argument("--feed-cache", default=None, help="a JSON file holding the demo's feed (written if missing)")
    parser.add_argument("--rate", type=float, default=None, help="replay live: events readable this many a second")
    parser.add_argument("--linger", default="0.05", help="with --rate: the consumer's lingers to compare (seconds)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    if args.pg_url:
        os.environ["RECTIFY_TEST_PG_URL"] = args.pg_url
    # The demo shifts its campaign to today; the clock is fixed at the last event so that reruns on the same day
    # compare.
    with tempfile.TemporaryDirectory() as tmp:
        feed = await cached_demo_feed(args.items, Path(tmp), args.feed_cache)
        now = datetime.fromisoformat(feed[-1].occurred_at)
        now = (now if now.tzinfo else now.replace(tzinfo=BUSINESS_TZ)).astimezone(UTC)
        lingers = [float(x) for x in args.linger.split(",")] if args.rate else [0.0]
        for run in range(args.repeat):
            for linger in lingers:
                await one_run(args, feed, now, tmp, run=run, linger=linger)
    if args.profile:
        pstats.Stats(args.profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    asyncio.run(main())
