"""The user's own inbox: list, unread count, mark read, and a live server-sent-event stream."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from notify_api.notifications import repository, service
from notify_api.notifications.broker import InboxBroker, next_message
from notify_api.notifications.models import Notification
from notify_api.notifications.schemas import NotificationOut, ReadAll, UnreadCount
from rectify_kit.auth import CurrentPrincipal
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep, get_database
from rectify_kit.errors import problem_responses
from rectify_kit.pagination import Page, decode_cursor, encode_cursor
from rectify_kit.serving import draining

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])
KEEPALIVE_SECONDS = 15.0
RECONNECT_MILLISECONDS = 1000


def out(n: Notification) -> NotificationOut:
    return NotificationOut(
        id=n.id,
        kind=n.kind,
        level=n.level,
        issue_id=n.issue_id,
        intake_id=n.intake_id,
        escalation_id=n.escalation_id,
        title=n.title,
        body=n.body,
        created_at=n.created_at,
        read_at=n.read_at,
    )


@router.get(
    "", response_model=Page[NotificationOut], summary="我的消息 / My inbox", responses=problem_responses(401, 422)
)
async def list_notifications(
    session: SessionDep,
    principal: CurrentPrincipal,
    unread: bool | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[NotificationOut]:
    after = None
    if cursor:
        at, last_id = decode_cursor(cursor, length=2)
        after = (datetime.fromisoformat(str(at)), str(last_id))
    rows = await repository.page(session, user_id=principal.sub, unread=unread, after=after, limit=limit + 1)
    nxt = encode_cursor([rows[limit - 1].created_at.isoformat(), rows[limit - 1].id]) if len(rows) > limit else None
    return Page[NotificationOut](
        items=[out(r) for r in rows[:limit]],
        next_cursor=nxt,
        total=await repository.count(session, user_id=principal.sub, unread=unread),
    )


@router.get(
    "/unread-count", response_model=UnreadCount, summary="未读数 / Unread count", responses=problem_responses(401)
)
async def unread_count(session: SessionDep, principal: CurrentPrincipal) -> UnreadCount:
    return UnreadCount(unread=await repository.unread_count(session, user_id=principal.sub))


@router.post(
    "/read-all",
    response_model=ReadAll,
    summary="全部标为已读 / Mark all my messages read",
    responses=problem_responses(401),
)
async def read_all(session: SessionDep, clock: ClockDep, principal: CurrentPrincipal) -> ReadAll:
    return ReadAll(marked=await service.mark_all_read(session, user_id=principal.sub, now=clock.now()))


@router.post(
    "/{notification_id}/read",
    response_model=NotificationOut,
    summary="标记已读 / Mark read",
    responses=problem_responses(401, 404),
)
async def mark_read(
    session: SessionDep, clock: ClockDep, principal: CurrentPrincipal, notification_id: str
) -> NotificationOut:
    notification = await service.mark_read(
        session, notification_id=notification_id, user_id=principal.sub, now=clock.now()
    )
    return out(notification)


@router.get(
    "/stream",
    summary="消息实时推送（SSE）/ Live inbox (server-sent events)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}, **problem_responses(401)},
)
async def stream(request: Request, principal: CurrentPrincipal) -> StreamingResponse:
    """`event: unread` with the count first, then `event: notification` for each new message; when the server
    stops, a last `retry` line and the end, so the browser reconnects (to another replica) a second later."""
    broker: InboxBroker = request.app.state.inbox_broker
    stopping = draining(request)
    queue = broker.subscribe(principal.sub)
    async with get_database(request).session(write=False) as session:
        count = await repository.unread_count(session, user_id=principal.sub)

    async def events() -> AsyncIterator[str]:
        try:
            yield f"event: unread\ndata: {json.dumps({'unread': count})}\n\n"
            while not stopping.is_set() and not await request.is_disconnected():
                message = await next_message(queue, stop=stopping, seconds=KEEPALIVE_SECONDS)
                if message is None:
                    yield ": keep-alive\n\n"
                else:
                    yield f"event: notification\ndata: {json.dumps(message, ensure_ascii=False)}\n\n"
            yield f"retry: {RECONNECT_MILLISECONDS}\n\n"
        finally:
            broker.unsubscribe(principal.sub, queue)

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
