"""The two consumers (issues feed, escalation feed) and their supervision as background tasks."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import httpx

from rectify_kit.consumer import ClientCredentials, FeedConsumer, FeedSource, HttpFeedSource, PageHandler
from rectify_kit.db import Database
from report_api.config import Settings
from report_api.readmodel.models import feed_cursors
from report_api.readmodel.service import (
    ESCALATIONS_FEED,
    ISSUES_FEED,
    apply_escalations_page,
    apply_issues_page,
)

log = logging.getLogger("report_api.feeds")


def _page_consumer(
    name: str, page_handler: PageHandler, database: Database, source: FeedSource, wait: float
) -> FeedConsumer:
    """A feed applied a page at a time: the read model folds a page and writes it in a few statements."""
    return FeedConsumer(
        name=name,
        database=database,
        cursor_table=feed_cursors,
        source=source,
        page_handler=page_handler,
        batch_size=1000,
        wait=wait,
    )


def issues_consumer(database: Database, source: FeedSource, *, wait: float = 20.0) -> FeedConsumer:
    return _page_consumer(ISSUES_FEED, apply_issues_page, database, source, wait)


def escalations_consumer(database: Database, source: FeedSource, *, wait: float = 20.0) -> FeedConsumer:
    return _page_consumer(ESCALATIONS_FEED, apply_escalations_page, database, source, wait)


def http_consumers(settings: Settings, database: Database, http: httpx.AsyncClient) -> list[FeedConsumer]:
    """Both consumers over HTTP, authenticated as the `report-api` integration client."""
    secret = settings.feed_secret()
    if secret is None:
        raise LookupError(
            f"no client secret: set REPORT_FEED_CLIENT_SECRET or write {settings.feed_client_secret_file}"
        )
    credentials = ClientCredentials(settings.token_url, settings.feed_client_id, secret, http=http)
    wait = settings.feed_wait_seconds
    return [
        issues_consumer(
            database, HttpFeedSource(settings.issues_feed_url, http=http, credentials=credentials), wait=wait
        ),
        escalations_consumer(
            database, HttpFeedSource(settings.escalations_feed_url, http=http, credentials=credentials), wait=wait
        ),
    ]


async def supervise(settings: Settings, database: Database, *, backoff_max: float = 30.0) -> None:
    """Run both consumers until cancelled; wait with backoff while the secret or the other services are missing."""
    delay = 1.0
    async with httpx.AsyncClient() as http:
        while True:
            try:
                consumers = http_consumers(settings, database, http)
            except LookupError as exc:
                log.warning("report feeds not started: %s; retrying in %.0fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, backoff_max)
                continue
            await asyncio.gather(*(c.run_forever(backoff_max=backoff_max) for c in consumers))


async def catch_up(consumers: list[FeedConsumer]) -> int:
    """Apply every consumer's feed up to its head, without waiting for news; returns events applied."""
    total = 0
    for consumer in consumers:
        while True:
            before = await consumer.position()
            total += await consumer.run_once(wait=0)
            if await consumer.position() == before:
                break
    return total


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
