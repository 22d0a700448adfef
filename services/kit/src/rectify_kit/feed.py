"""The pull feed: `GET …?after=SEQ&limit=N&wait=S` long-polls an outbox table.

No `from __future__ import annotations` here: the route's annotations name `principal_dependency`, a local of
`feed_router`, and FastAPI can only resolve string annotations against module globals.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Table, or_, select
from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from rectify_kit.auth import Principal
from rectify_kit.clock import first_of
from rectify_kit.db import Database, get_database
from rectify_kit.errors import problem_responses
from rectify_kit.outbox import EVENTS_WRITTEN, Event, head
from rectify_kit.relay import on_relayed
from rectify_kit.serving import draining

MAX_LIMIT = 1000
MAX_WAIT_SECONDS = 30.0
# With a notifier, a waiting long-poll's re-reads only look for events other processes wrote (another replica, a
# command-line import): this process's own commits wake it at once. So each re-read that finds nothing doubles
# the next wait, from `poll_interval` up to this, and an idle feed costs its readers' service a few database
# reads per long-poll instead of one a second.
MAX_FALLBACK_POLL_SECONDS = 4.0


class FeedNotifier:
    """Wakes long-polling readers in this process when a transaction that wrote events commits."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_at_most(self, seconds: float, *, stop: asyncio.Event | None = None) -> bool:
        """Whether `notify` was called within `seconds`; `stop`, once set, ends the wait too."""
        waiter = self._event
        if stop is None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiter.wait(), seconds)
        else:
            await first_of(waiter, stop, seconds=seconds)
        return waiter.is_set()

    def watch(self, database: Database) -> None:
        """Notify after every commit of a session of `database` that appended events, and after every relay
        round that moved staged events into a feed of it."""

        def after_commit(session: Session) -> None:
            if session.info.pop(EVENTS_WRITTEN, False):
                self.notify()

        sa_event.listen(database.sync_session_class, "after_commit", after_commit)
        on_relayed(database, self.notify)


class FeedEvent(BaseModel):
    seq: int
    id: str
    type: str
    occurred_at: str
    actor: dict[str, Any]
    subject_id: str
    data: dict[str, Any]
    hash: str


class FeedPage(BaseModel):
    events: list[FeedEvent]
    next: int = Field(description="pass as `after` to read on / 下次请求的 after")
    head: int = Field(description="the feed's last sequence number / 当前最新序号")


async def read_page(
    session: AsyncSession, table: Table, *, after: int, limit: int, type_prefixes: Sequence[str] | None
) -> FeedPage:
    """Events after `after`, up to `limit`, of the visible types; `next` never skips an unread event."""
    last, _ = await head(session, table)
    query = select(table).where(table.c.seq > after, table.c.seq <= last).order_by(table.c.seq).limit(limit)
    if type_prefixes is not None:
        query = query.where(or_(*(table.c.type.startswith(p) for p in type_prefixes)))
    rows = (await session.execute(query)).all() if last > after else []
    events = [Event.from_row(r) for r in rows]
    # Fewer than `limit` rows means every event up to `last` was scanned, the invisible ones too.
    nxt = events[-1].seq if len(events) == limit else max(after, last)
    return FeedPage(events=[FeedEvent(**e.to_json()) for e in events], next=nxt, head=last)


VisibleTypes = Callable[[Principal], Sequence[str] | None]
PrincipalDep = Callable[..., Awaitable[Principal]]
# What a reader may see of one event (e.g. personal fields removed for readers without a scope).
Redact = Callable[[Principal, FeedEvent], FeedEvent]


def feed_router(
    *,
    path: str,
    table: Table,
    principal_dependency: PrincipalDep,
    visible_types: VisibleTypes,
    notifier: FeedNotifier | None = None,
    tags: Sequence[str] = ("events",),
    poll_interval: float = 1.0,
    redact: Redact | None = None,
    example: Mapping[str, Any] | None = None,
) -> APIRouter:
    """A router serving `table` as a long-poll feed at `path`.

    `principal_dependency` authorises the reader (it raises 401/403); `visible_types` maps the reader to the
    type prefixes it may see (None for all); `redact`, when given, passes every event handed out (its stored
    `hash` stays that of the whole event). The session is released while waiting. `example`: a page of the
    service's own events, shown in the OpenAPI document.
    """
    router = APIRouter(tags=list(tags))
    shown: dict[int | str, dict[str, Any]] = {}
    if example is not None:
        shown[200] = {"content": {"application/json": {"example": dict(example)}}}

    @router.get(
        path,
        summary="事件流（长轮询）/ Event feed (long-poll)",
        responses={**shown, **problem_responses(401, 403, 422)},
    )
    async def read_feed(
        request: Request,
        principal: Annotated[Principal, Depends(principal_dependency)],
        after: Annotated[int, Query(ge=0, description="last sequence number already read")] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
        wait: Annotated[float, Query(ge=0, le=MAX_WAIT_SECONDS, description="seconds to wait for news")] = 0,
    ) -> FeedPage:
        database = get_database(request)
        prefixes = visible_types(principal)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        stopping = draining(request)
        interval = poll_interval
        while True:
            async with database.session(write=False) as session:
                page = await read_page(session, table, after=after, limit=limit, type_prefixes=prefixes)
            remaining = deadline - loop.time()
            if page.events or remaining <= 0 or stopping.is_set() or await request.is_disconnected():
                if redact is not None:
                    page.events = [redact(principal, event) for event in page.events]
                return page
            after = page.next
            if notifier is not None:
                # A stop ends the wait at once: the drain answers waiting long-polls with what they have.
                woken = await notifier.wait_at_most(min(remaining, interval), stop=stopping)
                interval = poll_interval if woken else min(interval * 2, max(poll_interval, MAX_FALLBACK_POLL_SECONDS))
            else:
                await asyncio.sleep(min(remaining, poll_interval))

    return router
