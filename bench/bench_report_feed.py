"""Benchmark of report-api's issues-feed consumer: a feed applied as report-api applies it, page by page.

Loads the demo into a scratch issues-api database (as `bench_notify_feed.py` does; `--feed-cache` keeps its feed
in a file, the same format), or with `--creates N` a creates-only feed made from it: its directory and campaign
events, then N `issue.created` events (the demo's, over and over, each with a new id), the feed of a stack taking
nothing but creates. Applies it to a fresh report-api database through report-api's own consumer
(`readmodel.feeds.issues_consumer`) in pages of `--page` events, as the live consumer receives them (at 700 creates
a second it lingers 0.1 s after a page and so takes pages of 60 to 70).

Prints, per event: the CPU milliseconds of this process (applying only), of PostgreSQL's backend (PostgreSQL only),
the statements sent (an executemany's rows counted one each, as the server runs them) and round trips (an
executemany counted once); and a digest of the read model it left (every table but the cursors), so a change that
must not change behaviour shows the same digest before and after. Run it with a base checkout's interpreter to
time the code before a change on the same feed:

    python bench/bench_report_feed.py [--items 300] [--creates 2500] [--page 64] [--repeat 1] [--pg-url URL]
                                      [--feed-cache FILE] [--profile FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import hashlib
import json
import logging
import os
import pstats
import tempfile
import time
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bench_notify_feed import cached_demo_feed
from sqlalchemy import event, text
from wrk import cpu_seconds

from rectify_kit import migrations
from rectify_kit.consumer import FetchedPage
from rectify_kit.db import Database
from rectify_kit.feed import FeedEvent
from rectify_kit.testing import create_pg_database, drop_pg_database
from report_api.__main__ import MIGRATIONS
from report_api.readmodel.feeds import issues_consumer
from report_testing.rebuild import NoSource, read_model


def creates_only(feed: list[FeedEvent], count: int) -> list[FeedEvent]:
    """The feed's directory and campaign events, then `count` creates: the feed's own, each with a new id."""
    kept = [e for e in feed if e.type.split(".", 1)[0] in ("unit", "user", "client", "campaign")]
    creates = [e for e in feed if e.type == "issue.created"]
    out: list[FeedEvent] = []
    for item in kept:
        out.append(item.model_copy(update={"seq": len(out) + 1}))
    for n in range(count):
        original = creates[n % len(creates)]
        issue_id = str(uuid.uuid5(uuid.NAMESPACE_OID, f"{original.data['issue']['id']}/{n}"))
        issue = {**original.data["issue"], "id": issue_id, "code": f"B-{n:06d}"}
        data = {**original.data, "issue": issue}
        out.append(original.model_copy(update={"seq": len(out) + 1, "subject_id": issue_id, "data": data}))
    return out


def digest(model: dict[str, list[tuple[Any, ...]]]) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, str) and value[:1] in "[{":
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    rows = {
        name: sorted(json.dumps([plain(v) for v in row], default=str) for row in found) for name, found in model.items()
    }
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()[:16]


async def backend_cpu(database: Database) -> float:
    async with database.session(write=False) as session:
        pids = (
            await session.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"))
        ).all()
    return sum(cpu_seconds(int(row[0])) for row in pids)


async def replay(url: str, feed: list[FeedEvent], *, page: int, profile: str | None) -> dict[str, Any]:
    migrations.upgrade(MIGRATIONS, url)
    database = Database(url)
    counts = {"statements": 0, "round_trips": 0}

    def count(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        counts["round_trips"] += 1
        counts["statements"] += len(parameters) if executemany else 1

    postgres = url.startswith("postgresql")
    try:
        consumer = issues_consumer(database, NoSource())
        # Warm the pool's connections and the consumer's cursor row outside the timing.
        await consumer.apply(FetchedPage(events=[], next=0, head=feed[-1].seq))
        event.listen(database.engine.sync_engine, "before_cursor_execute", count)
        profiler = cProfile.Profile() if profile else None
        pg = await backend_cpu(database) if postgres else 0.0
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        for start in range(0, len(feed), page):
            events = feed[start : start + page]
            await consumer.apply(FetchedPage(events=events, next=events[-1].seq, head=feed[-1].seq))
        if profiler and profile:
            profiler.disable()
            profiler.dump_stats(profile)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        event.remove(database.engine.sync_engine, "before_cursor_execute", count)
        pg = (await backend_cpu(database) - pg) if postgres else 0.0
        found = digest(await read_model(database))
    finally:
        await database.dispose()
    return {"cpu": cpu, "wall": wall, "pg": pg, "digest": found, **counts}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--creates", type=int, default=0, help="a creates-only feed of this many creates")
    parser.add_argument("--page", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--pg-url", default=None)
    parser.add_argument("--profile", default=None, help="write cProfile stats of the first run's applying here")
    parser.add_argument("--feed-cache", default=None, help="a JSON file holding the demo's feed (written if missing)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    if args.pg_url:
        os.environ["RECTIFY_TEST_PG_URL"] = args.pg_url
    with tempfile.TemporaryDirectory() as tmp:
        feed = await cached_demo_feed(args.items, Path(tmp), args.feed_cache)
        what = "demo"
        if args.creates:
            feed, what = creates_only(feed, args.creates), f"{args.creates} creates"
        for run in range(args.repeat):
            if args.pg_url:
                url = await create_pg_database("report_feed_bench")
            else:
                url = f"sqlite+aiosqlite:///{Path(tmp) / f'report-{run}.db'}"
            try:
                got = await replay(url, feed, page=args.page, profile=args.profile if run == 0 else None)
            finally:
                if args.pg_url:
                    await drop_pg_database(url)
            n = len(feed)
            print(
                f"[{'postgresql' if args.pg_url else 'sqlite'}] {what}, {n:,} events in pages of {args.page}: "
                f"{got['cpu'] / n * 1e3:.3f} ms CPU per event, PostgreSQL {got['pg'] / n * 1e3:.3f}; "
                f"{got['statements'] / n:.2f} statements, {got['round_trips'] / n:.3f} round trips per event "
                f"({got['wall']:.2f} s wall); digest {got['digest']}",
                flush=True,
            )
    if args.profile:
        pstats.Stats(args.profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    asyncio.run(main())
