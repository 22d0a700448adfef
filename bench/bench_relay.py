"""The kit's outbox relay on PostgreSQL: writers staging one event per transaction, each commit followed by the
relay round that numbers, chains and moves it into the feed (as every event-writing request does).

`--writers 1,32` runs one writer, then 32 side by side (`--events` in all, each writer its share), on a scratch
database (dropped afterwards). Prints this process's CPU milliseconds per event (`time.process_time`, the writers'
own transactions included), the relay rounds run, and whether the feed is gap-free and its chain verifies. Compare
runs alternated with the base in one session (`PYTHONPATH` set to the base checkout's `services/kit/src`), not raw
figures: the machine is shared.

    python bench/bench_relay.py [--writers 1,32] [--events 600] [--repeat 1] [--pg-url URL] [--plain]

`--plain` stages as a plain create does (one autocommit statement on a pool of 10, then `relay_quietly`) and
prints the p50 and p99 of the wait for the relay after each commit.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from rectify_kit.db import Database, make_metadata
from rectify_kit.outbox import NewEvent, make_event_table, verify_chain
from rectify_kit.relay import Outbox, make_staging_table
from rectify_kit.testing import create_pg_database, drop_pg_database

metadata = make_metadata()
events = make_event_table(metadata, "bench_events")
outbox = Outbox(events, make_staging_table(metadata, events))
AT = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
ACTOR = {"kind": "user", "id": "u-bench", "username": "bench", "role": "office", "unit_id": None}


class CountingOutbox(Outbox):
    rounds = 0

    async def relay_round(self, database: Database, connection: AsyncConnection | None = None) -> int:
        CountingOutbox.rounds += 1
        return await super().relay_round(database, connection)


async def one_run(writers: int, count: int, *, plain: bool = False) -> None:
    url = await create_pg_database("rectify_bench_relay")
    # --plain: a plain create's shape on the stack's pool of 10: one autocommit statement, then the relay.
    database = Database(url, pool_size=10 if plain else min(writers, 32) + 2, max_overflow=0 if plain else 2)
    counting = CountingOutbox(outbox.feed, outbox.staging)
    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        share = count // writers

        waits: list[float] = []

        async def writer(w: int) -> None:
            for n in range(share):
                data = {"item": {"id": str(uuid.uuid4()), "writer": w, "n": n, "status": "draft", "title": "x" * 80}}
                if not plain:
                    async with database.session() as session:
                        await counting.add(session, [NewEvent("item.made", f"w{w}-{n}", ACTOR, data, AT)])
                    continue
                row = {"id": str(uuid.uuid4()), "type": "item.made", "occurred_at": AT, "actor": ACTOR,
                       "subject_id": f"w{w}-{n}", "data": data}  # fmt: skip
                async with database.read_engine.connect() as connection:
                    await connection.execute(counting.staging.insert(), row)
                started = time.perf_counter()
                await counting.relay_quietly(database)
                waits.append(time.perf_counter() - started)

        CountingOutbox.rounds = 0
        cpu = time.process_time()
        await asyncio.gather(*(writer(w) for w in range(writers)))
        cpu = time.process_time() - cpu
        async with database.session(write=False) as session:
            total, last = (await session.execute(select(func.count(), func.max(events.c.seq)))).one()
            chain = await verify_chain(session, events)
        written = share * writers
        whole = "gap-free" if total == last == written else f"NOT gap-free ({total} rows, last {last})"
        print(
            f"{writers:>3} writer(s), {written} events: {cpu / written * 1000:.2f} ms CPU per event, "
            f"{CountingOutbox.rounds} relay rounds; feed {whole}, chain {'verifies' if chain.ok else 'BROKEN'}",
            flush=True,
        )
        if waits:
            waits.sort()
            p50, p99 = (waits[int(len(waits) * q)] * 1000 for q in (0.50, 0.99))
            print(f"    the wait for the relay after a commit: p50 {p50:.1f} ms, p99 {p99:.1f} ms", flush=True)
    finally:
        await database.dispose()
        await drop_pg_database(url)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--writers", default="1,32")
    parser.add_argument("--events", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--pg-url", default=None)
    parser.add_argument(
        "--plain", action="store_true", help="stage as a plain create does (autocommit, pool of 10) and time the relay"
    )
    args = parser.parse_args()
    if args.pg_url:
        os.environ["RECTIFY_TEST_PG_URL"] = args.pg_url
    for _ in range(args.repeat):
        for writers in (int(w) for w in args.writers.split(",")):
            await one_run(writers, args.events, plain=args.plain)


if __name__ == "__main__":
    asyncio.run(main())
