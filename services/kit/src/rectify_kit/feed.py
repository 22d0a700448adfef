"""The pull feed: `GET …?after=SEQ&limit=N&wait=S` long-polls an outbox table.

No `from __future__ import annotations` here: the route's annotations name `principal_dependency`, a local of
`feed_router`, and FastAPI can only resolve string annotations against module globals.
"""

import asyncio
import contextlib
import functools
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field
from pydantic_core import from_json, to_json
from sqlalchemy import BigInteger, Integer, Select, String, Table, Text, bindparam, cast, func, or_, select, true
from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from rectify_kit.auth import Principal
from rectify_kit.clock import first_of
from rectify_kit.db import Database, fetch_rows, get_database
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


class _PageStatements:
    """The feed route's page statement, built once per table and number of type prefixes: the head and the
    page's events in one statement (one snapshot), their actor and data as the JSON text they are stored as."""

    def __init__(self, table: Table) -> None:
        self._table = table
        self._built: dict[int | None, Select[Any]] = {}

    def for_prefixes(self, count: int | None) -> Select[Any]:
        found = self._built.get(count)
        if found is None:
            found = self._built[count] = self._build(count)
        return found

    def _build(self, count: int | None) -> Select[Any]:
        t = self._table
        # The head twice, in one statement: both read the same snapshot (no LATERAL, which SQLite lacks).
        head = select(func.coalesce(func.max(t.c.seq), 0)).scalar_subquery()
        page = (
            select(
                t.c.seq,
                t.c.id,
                t.c.type,
                t.c.occurred_at,
                cast(t.c.actor, Text()).label("actor"),
                t.c.subject_id,
                cast(t.c.data, Text()).label("data"),
                t.c.hash,
            )
            .where(t.c.seq > bindparam("after", type_=BigInteger()), t.c.seq <= head)
            .order_by(t.c.seq)
            .limit(bindparam("limit", type_=Integer()))
        )
        if count is not None:
            page = page.where(
                or_(*(t.c.type.startswith(bindparam(f"prefix_{n}", type_=String())) for n in range(count)))
            )
        last = select(head.label("last")).subquery("h")
        events = page.subquery("e")
        columns = [events.c[name] for name in _PAGE_COLUMNS]
        return select(last.c.last, *columns).select_from(last.outerjoin(events, true())).order_by(events.c.seq)


_PAGE_COLUMNS = ("seq", "id", "type", "occurred_at", "actor", "subject_id", "data", "hash")


async def _page_bytes(
    database: Database,
    statements: _PageStatements,
    *,
    after: int,
    limit: int,
    type_prefixes: Sequence[str] | None,
    redact: Callable[[FeedEvent], FeedEvent] | None,
) -> tuple[bytes, bool, int]:
    """`read_page`'s page as the route answers it (FeedPage's JSON), whether it holds events, and its `next`.

    One statement on a read connection (straight on asyncpg on PostgreSQL); each event's actor and data parsed
    from their JSON text and the page serialized by pydantic-core, to the same bytes as `FeedPage`'s JSON, without
    validating what the database gives back (about half of what a page cost its service before)."""
    params: dict[str, Any] = {"after": after, "limit": limit}
    for n, prefix in enumerate(type_prefixes or ()):
        params[f"prefix_{n}"] = prefix
    statement = statements.for_prefixes(None if type_prefixes is None else len(type_prefixes))
    async with database.read_connection() as connection:
        rows = await fetch_rows(connection, statement, params)
    last = int(rows[0][0]) if rows else 0
    events: list[dict[str, Any]] = []
    for _, seq, event_id, type_, occurred_at, actor, subject_id, data, hash_ in rows:
        if seq is None:  # the head's row alone: no event after `after`
            continue
        event = {
            "seq": seq,
            "id": event_id,
            "type": type_,
            "occurred_at": _utc(occurred_at).isoformat(),
            "actor": from_json(actor),
            "subject_id": subject_id,
            "data": from_json(data),
            "hash": hash_,
        }
        if redact is not None:
            shown = FeedEvent.model_construct(**event)
            kept = redact(shown)
            if kept is not shown:
                event = kept.model_dump()
        events.append(event)
    # Fewer than `limit` rows means every event up to `last` was scanned, the invisible ones too.
    nxt = events[-1]["seq"] if len(events) == limit else max(after, last)
    return to_json({"events": events, "next": nxt, "head": last}), bool(events), nxt


def _utc(value: datetime) -> datetime:
    """A stored time as `UTCDateTime` reads it (SQLite's come back naive, in UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


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

    statements = _PageStatements(table)

    @router.get(
        path,
        response_model=FeedPage,
        summary="事件流（长轮询）/ Event feed (long-poll)",
        responses={**shown, **problem_responses(401, 403, 422)},
    )
    async def read_feed(
        request: Request,
        principal: Annotated[Principal, Depends(principal_dependency)],
        after: Annotated[int, Query(ge=0, description="last sequence number already read")] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
        wait: Annotated[float, Query(ge=0, le=MAX_WAIT_SECONDS, description="seconds to wait for news")] = 0,
    ) -> Response:
        database = get_database(request)
        prefixes = visible_types(principal)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        stopping = draining(request)
        interval = poll_interval
        shown = None if redact is None else functools.partial(redact, principal)
        while True:
            body, any_events, nxt = await _page_bytes(
                database, statements, after=after, limit=limit, type_prefixes=prefixes, redact=shown
            )
            remaining = deadline - loop.time()
            if any_events or remaining <= 0 or stopping.is_set() or await request.is_disconnected():
                return Response(body, media_type="application/json")
            after = nxt
            if notifier is not None:
                # A stop ends the wait at once: the drain answers waiting long-polls with what they have.
                woken = await notifier.wait_at_most(min(remaining, interval), stop=stopping)
                interval = poll_interval if woken else min(interval * 2, max(poll_interval, MAX_FALLBACK_POLL_SECONDS))
            else:
                await asyncio.sleep(min(remaining, poll_interval))

    return router
