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
from typing import NamedTuple, Protocol

import httpx
from sqlalchemy import BigInteger, Column, MetaData, String, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from rectify_kit.clock import pause
from rectify_kit.db import Database, UTCDateTime
from rectify_kit.feed import FeedEvent

log = logging.getLogger("rectify.consumer")


def make_cursor_table(metadata: MetaData, name: str = "feed_cursors") -> Table:
    return Table(
        name,
        metadata,
        Column("name", String(100), primary_key=True),
        Column("position", BigInteger(), nullable=False, default=0),
        Column("head", BigInteger(), nullable=False, default=0),
        Column("updated_at", UTCDateTime(), nullable=True),
    )


@dataclass(frozen=True)
class FetchedPage:
    events: Sequence[FeedEvent]
    next: int
    head: int
    # When the request that brought it was sent: the feed held nothing past `head` before that moment, so
    # `head` is known as of then (not as of the answer's arrival: a long-poll may have waited since).
    asked_at: datetime | None = None


class FeedSource(Protocol):
    async def fetch(self, *, after: int, limit: int, wait: float) -> FetchedPage: ...


Handler = Callable[[AsyncSession, FeedEvent], Awaitable[None]]


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
        body = response.json()
        return FetchedPage(
            events=[FeedEvent.model_validate(e) for e in body["events"]],
            next=int(body["next"]),
            head=int(body.get("head", body["next"])),
        )


class FeedConsumer:
    """Applies a feed to this service's database, one page per transaction, cursor included."""

    def __init__(
        self,
        *,
        name: str,
        database: Database,
        cursor_table: Table,
        source: FeedSource,
        handler: Handler,
        batch_size: int = 200,
        wait: float = 20.0,
    ) -> None:
        self.name = name
        self.database = database
        self.cursor_table = cursor_table
        self.source = source
        self.handler = handler
        self.batch_size = batch_size
        self.wait = wait

    async def position(self) -> int:
        async with self.database.session(write=False) as session:
            row = (
                await session.execute(select(self.cursor_table.c.position).where(self.cursor_table.c.name == self.name))
            ).first()
        return int(row.position) if row else 0

    async def run_once(self, *, wait: float | None = None) -> int:
        """Fetch one page after the cursor and apply it; returns how many events were applied."""
        return await self.apply(await self._fetch(wait))

    async def _fetch(self, wait: float | None = None) -> FetchedPage:
        after = await self.position()
        asked_at = datetime.now(UTC)
        page = await self.source.fetch(after=after, limit=self.batch_size, wait=self.wait if wait is None else wait)
        return page if page.asked_at is not None else replace(page, asked_at=asked_at)

    async def _fetch_unless(self, stop: asyncio.Event) -> FetchedPage | None:
        """The next page, or None once `stop` is set: a shutdown cuts the long-poll short, never an apply."""
        fetch = asyncio.ensure_future(self._fetch())
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
        applied = 0
        async with self.database.session(write=True) as session:
            current = await self._locked_position(session)
            for item in page.events:
                if item.seq <= current:
                    continue  # already applied by an earlier run or another replica
                await self.handler(session, item)
                current = item.seq
                applied += 1
            current = max(current, page.next)
            await self._store(session, current, page.head, page.asked_at or datetime.now(UTC))
        return applied

    async def _locked_position(self, session: AsyncSession) -> int:
        query = select(self.cursor_table.c.position).where(self.cursor_table.c.name == self.name)
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
        row = (await session.execute(query)).first()
        if row is None:
            await session.execute(self.cursor_table.insert().values(name=self.name, position=0, head=0))
            return 0
        return int(row.position)

    async def _store(self, session: AsyncSession, position: int, head: int, checked_at: datetime) -> None:
        """`updated_at` is when `head` was known to be the feed's head (the asking, see `FetchedPage`)."""
        await session.execute(
            self.cursor_table.update()
            .where(self.cursor_table.c.name == self.name)
            .values(position=position, head=head, updated_at=checked_at)
        )

    async def run_forever(self, *, stop: asyncio.Event | None = None, backoff_max: float = 30.0) -> None:
        """Keep applying; on any error wait with exponential backoff and try again."""
        delay = 1.0
        while stop is None or not stop.is_set():
            try:
                page = await self._fetch() if stop is None else await self._fetch_unless(stop)
                if page is None:
                    return
                await self.apply(page)
                delay = 1.0
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("feed consumer %s failed; retrying in %.0fs", self.name, delay)
                await pause(delay, stop=stop)
                delay = min(delay * 2, backoff_max)


class CursorState(NamedTuple):
    """Where a consumer is: the last sequence applied, the feed's head and when that head was known."""

    position: int
    head: int
    checked_at: datetime | None

    def lag(self, *, max_age_seconds: float) -> int | None:
        """Events the feed held at `checked_at` that are not applied yet; None (unknown) when the head was never
        read or not confirmed for `max_age_seconds` (the consumer is stuck, or its feed out of reach). Events
        committed after `checked_at` are not counted: a lag of 0 means up to date as of `checked_at`, not now."""
        if self.checked_at is None or (datetime.now(UTC) - self.checked_at).total_seconds() > max_age_seconds:
            return None
        return max(self.head - self.position, 0)


async def cursor_state(session: AsyncSession, table: Table, name: str) -> CursorState:
    """The freshness of what this service shows from the feed `name`."""
    query = select(table.c.position, table.c.head, table.c.updated_at).where(table.c.name == name)
    row = (await session.execute(query)).first()
    if row is None:
        return CursorState(0, 0, None)
    return CursorState(int(row.position), int(row.head), row.updated_at)
