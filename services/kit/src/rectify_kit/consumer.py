"""Feed consumers: pull another service's feed and apply each event exactly once.

The cursor lives in the consumer's own database and moves in the same transaction as the effects of the
events it passes, so a crash, a restart or a replay never applies an event twice nor skips one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Protocol, cast

import httpx
from pydantic import BaseModel
from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from rectify_kit.clock import pause
from rectify_kit.db import Database
from rectify_kit.feed import FeedEvent

log = logging.getLogger("rectify.consumer")
# After a page shorter than a batch (the feed had no more), a running consumer waits this long before asking
# again, so that under a steady stream of events it applies them in pages of ten or more, not one or two: each page
# costs a request to the feed's service and a transaction here whatever its size (see `FeedConsumer.run_forever`).
# The bound on what it delays an event: 0.1 s, below what a person sees of a notice arriving (and timers count in
# hours); an idle feed's first event is not delayed at all.
LINGER_SECONDS = 0.1


@dataclass(frozen=True)
class FetchedPage:
    events: Sequence[FeedEvent]
    next: int
    head: int
    # When the request that brought it was sent: the feed held nothing past `head` before that moment, so
    # `head` is known as of then (not as of the answer's arrival: a long-poll may have waited since).
    asked_at: datetime | None = None
    # The position it was asked after (None: not known, e.g. a page a test or a bench made up). A page asked
    # after a position past the cursor (which a reset moved back meanwhile) is not applied: it would leave a gap.
    after: int | None = None


class FeedSource(Protocol):
    async def fetch(self, *, after: int, limit: int, wait: float) -> FetchedPage: ...


Handler = Callable[[AsyncSession, FeedEvent], Awaitable[None]]
# A handler of a whole page at once (events not applied yet, in order): one that folds a page in memory and
# writes it in a few statements instead of a few per event.
PageHandler = Callable[[AsyncSession, Sequence[FeedEvent]], Awaitable[None]]


class ClientCredentials:
    """An OAuth2 client-credentials token, fetched when needed and renewed before it expires."""

    def __init__(self, token_url: str, client_id: str, client_secret: str, *, http: httpx.AsyncClient) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self._http = http
        self._token: str | None = None
        self._expires = 0.0

    async def token(self) -> str:
        if self._token is None or time.monotonic() > self._expires - 30:
            response = await self._http.post(
                self.token_url,
                data={
                    "grant_type": "client_credentials",
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                },
            )
            response.raise_for_status()
            body = response.json()
            self._token = str(body["access_token"])
            self._expires = time.monotonic() + float(body.get("expires_in", 300))
        return self._token

    def forget(self) -> None:
        self._token = None


class _PageBody(BaseModel):
    """A feed's answer as read off the wire: its events parsed and validated straight from the bytes (no
    `json.loads` and then a validation of each event); `head` defaults to `next` (a feed that says none)."""

    events: list[FeedEvent]
    next: int
    head: int | None = None


def read_page(body: bytes) -> FetchedPage:
    """A feed's answer (`{events, next, head}`) as a page."""
    page = _PageBody.model_validate_json(body)
    return FetchedPage(events=page.events, next=page.next, head=page.next if page.head is None else page.head)


class HttpFeedSource:
    """A feed served over HTTP by another service (`{events, next, head}`)."""

    def __init__(self, url: str, *, http: httpx.AsyncClient, credentials: ClientCredentials | None = None) -> None:
        self.url = url
        self._http = http
        self._credentials = credentials

    async def fetch(self, *, after: int, limit: int, wait: float) -> FetchedPage:
        headers = {}
        if self._credentials is not None:
            headers["Authorization"] = f"Bearer {await self._credentials.token()}"
        response = await self._http.get(
            self.url,
            params={"after": after, "limit": limit, "wait": wait},
            headers=headers,
            timeout=httpx.Timeout(wait + 10.0, connect=5.0),
        )
        if response.status_code == 401 and self._credentials is not None:
            self._credentials.forget()
        response.raise_for_status()
        return read_page(response.content)


def _each_event(handler: Handler) -> PageHandler:
    async def apply_page(session: AsyncSession, events: Sequence[FeedEvent]) -> None:
        for item in events:
            await handler(session, item)

    return apply_page


class FeedConsumer:
    """Applies a feed to this service's database, one page per transaction, cursor included: each event by
    `handler`, or each page at once by `page_handler` (one of them)."""

    def __init__(
        self,
        *,
        name: str,
        database: Database,
        cursor_table: Table,
        source: FeedSource,
        handler: Handler | None = None,
        page_handler: PageHandler | None = None,
        batch_size: int = 200,
        wait: float = 20.0,
        linger: float = LINGER_SECONDS,
    ) -> None:
        self.name = name
        self.database = database
        self.cursor_table = cursor_table
        self.source = source
        if (handler is None) == (page_handler is None):
            raise TypeError("a feed consumer takes a handler of events or a handler of pages, one of them")
        self.page_handler = page_handler if page_handler is not None else _each_event(cast(Handler, handler))
        self.batch_size = batch_size
        self.wait = wait
        self.linger = linger
        # The cursor as this process's last apply left it, for `run_forever`'s next fetch (None: read it). Another
        # replica may have moved it on since (the events it applied come again and are skipped under the lock), or
        # a reset back (`apply` sees the page does not begin at the cursor and leaves it).
        self._left_at: int | None = None
        # The cursor's statements, built once (each page runs them; building one costs more than running its
        # cached compiled form).
        self._position = select(cursor_table.c.position).where(cursor_table.c.name == name)
        # On PostgreSQL the lock also has the page's statements planned for its tables as they are now, with no
        # round trip of its own. A consumer's tables grow by whole pages, faster than autovacuum's analyze follows,
        # and PostgreSQL keeps a prepared statement's generic plan, made once it has run five times, until the
        # table is analyzed again: a page's lookup by id planned as a full scan while its table held 300 rows
        # still scanned it whole at 20,000 (3 ms a page instead of 0.05). Planning anew costs a tenth of a
        # millisecond a statement, for a page of any size.
        custom_plans = func.set_config("plan_cache_mode", "force_custom_plan", True)
        self._locked = self._position.add_columns(custom_plans).with_for_update()
        self._moved = (
            cursor_table.update()
            .where(cursor_table.c.name == name)
            .values(position=bindparam("at"), head=bindparam("head_at"), updated_at=bindparam("checked_at"))
        )

    async def position(self) -> int:
        async with self.database.session(write=False) as session:
            row = (await session.execute(self._position)).first()
        return int(row.position) if row else 0

    async def run_once(self, *, wait: float | None = None) -> int:
        """Fetch one page after the cursor (as stored) and apply it; returns how many events were applied."""
        return await self.apply(await self._fetch(await self.position(), wait))

    async def _fetch(self, after: int, wait: float | None = None) -> FetchedPage:
        asked_at = datetime.now(UTC)
        page = await self.source.fetch(after=after, limit=self.batch_size, wait=self.wait if wait is None else wait)
        return replace(page, asked_at=page.asked_at or asked_at, after=after)

    async def _fetch_next(self) -> FetchedPage:
        after = self._left_at if self._left_at is not None else await self.position()
        return await self._fetch(after)

    async def _fetch_unless(self, stop: asyncio.Event) -> FetchedPage | None:
        """The next page, or None once `stop` is set: a shutdown cuts the long-poll short, never an apply."""
        fetch = asyncio.ensure_future(self._fetch_next())
        stopped = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            fetch.cancel()
            raise
        finally:
            stopped.cancel()
        if fetch.done():
            return fetch.result()
        fetch.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await fetch
        return None

    async def apply(self, page: FetchedPage) -> int:
        """Apply the page's events past the cursor and move it, in one transaction; returns how many."""
        async with self.database.session(write=True) as session:
            current = await self._locked_position(session)
            if page.after is not None and page.after > current:
                self._left_at = None  # the cursor went back (a reset): read it again, fetch from there
                return 0
            # Events at or below the cursor were applied by an earlier run or another replica.
            fresh = [item for item in page.events if item.seq > current]
            if fresh:
                await self.apply_events(session, fresh)
            position = max(current, page.next, *(item.seq for item in fresh[-1:]))
            await self._store(session, position, page.head, page.asked_at or datetime.now(UTC))
        self._left_at = position
        return len(fresh)

    async def apply_events(self, session: AsyncSession, events: Sequence[FeedEvent]) -> None:
        """Apply events not applied yet, in order, in the transaction that moves the cursor: the page in one
        `page_handler` call (given, or one `handler` call per event)."""
        await self.page_handler(session, events)

    async def _locked_position(self, session: AsyncSession) -> int:
        query = self._locked if session.get_bind().dialect.name == "postgresql" else self._position
        row = (await session.execute(query)).first()
        if row is None:
            await session.execute(self.cursor_table.insert().values(name=self.name, position=0, head=0))
            return 0
        return int(row.position)

    async def _store(self, session: AsyncSession, position: int, head: int, checked_at: datetime) -> None:
        """`updated_at` is when `head` was known to be the feed's head (the asking, see `FetchedPage`)."""
        await session.execute(self._moved, {"at": position, "head_at": head, "checked_at": checked_at})

    async def run_forever(self, *, stop: asyncio.Event | None = None, backoff_max: float = 30.0) -> None:
        """Keep applying; on any error wait with exponential backoff and try again.

        After a page shorter than a batch that held events, wait `linger` seconds before asking again: while
        events arrive one by one (each relay round of the feed's service wakes its long-polls), asking at once
        would bring them a page each, and a page costs a request and a transaction whatever its size. An event
        is so applied at most `linger` later than it would be; an idle feed's first event is not delayed (the
        long-poll answers at once), and a consumer catching up (full pages) does not wait.
        """
        delay = 1.0
        while stop is None or not stop.is_set():
            try:
                page = await self._fetch_next() if stop is None else await self._fetch_unless(stop)
                if page is None:
                    return
                await self.apply(page)
                delay = 1.0
                if page.events and len(page.events) < self.batch_size and self.linger > 0:
                    await pause(self.linger, stop=stop)
            except asyncio.CancelledError:
                raise
            except Exception:
                self._left_at = None
                log.exception("feed consumer %s failed; retrying in %.0fs", self.name, delay)
                await pause(delay, stop=stop)
                delay = min(delay * 2, backoff_max)
