"""A consumer in a process of its own, for the cross-process tests.

`python feed_consumer.py FEED_BASE_URL DATABASE_URL EXPECTED [PAGE_DELAY_SECONDS]`: applies the feed to its own
database (one row per event in `applied`, `seq` its primary key) until its cursor reaches EXPECTED, then exits.
"""

from __future__ import annotations

import asyncio
import sys

import httpx
from sqlalchemy import BigInteger, Column, String, Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from rectify_kit.consumer import ClientCredentials, FeedConsumer, HttpFeedSource
from rectify_kit.cursors import make_cursor_table
from rectify_kit.db import Database, make_metadata
from rectify_kit.feed import FeedEvent

metadata = make_metadata()
cursors = make_cursor_table(metadata)
applied = Table(
    "applied",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("hash", String(64), nullable=False),
)


RECORD = insert(applied)


async def record(session: AsyncSession, item: FeedEvent) -> None:
    await session.execute(RECORD, {"seq": item.seq, "event_id": item.id, "hash": item.hash})


async def main(base_url: str, database_url: str, expected: int, page_delay: float) -> None:
    database = Database(database_url)
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    async with httpx.AsyncClient() as http:
        credentials = ClientCredentials(f"{base_url}/token", "feed-consumer", "unused", http=http)
        consumer = FeedConsumer(
            name="feed-test",
            database=database,
            cursor_table=cursors,
            source=HttpFeedSource(f"{base_url}/events", http=http, credentials=credentials),
            handler=record,
            batch_size=200,
            wait=1.0,
        )
        while await consumer.position() < expected:
            await consumer.run_once()
            await asyncio.sleep(page_delay)
    await database.dispose()


if __name__ == "__main__":
    delay = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), delay))
