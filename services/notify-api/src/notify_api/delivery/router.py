"""GET /api/v1/deliveries (every attempt), manual retry of dead letters, GET|PUT /api/v1/channels."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from notify_api.delivery import repository, service
from notify_api.delivery.models import ChannelSetting, Delivery, DeliveryAttempt
from notify_api.delivery.schemas import AttemptOut, ChannelIn, ChannelOut, DeliveryOut
from notify_api.deps import StaffDep
from notify_api.outbound import GuardDep
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import problem_responses
from rectify_kit.pagination import Page, decode_cursor, encode_cursor

router = APIRouter(tags=["deliveries"])


def out(d: Delivery, attempts: list[DeliveryAttempt]) -> DeliveryOut:
    return DeliveryOut(
        id=d.id,
        channel=d.channel,
        target=d.target,
        user_id=d.user_id,
        event_type=d.event_type,
        level=d.level,
        subject=d.subject,
        subscription_id=d.subscription_id,
        status=d.status,
        attempts=d.attempts,
        next_attempt_at=d.next_attempt_at,
        last_error=d.last_error,
        created_at=d.created_at,
        sent_at=d.sent_at,
        attempt_log=[
            AttemptOut(
                attempted_at=a.attempted_at,
                ok=a.ok,
                status_code=a.status_code,
                error=a.error,
                duration_ms=a.duration_ms,
            )
            for a in attempts
            if a.delivery_id == d.id
        ],
    )


@router.get(
    "/api/v1/deliveries",
    response_model=Page[DeliveryOut],
    summary="投递记录 / Deliveries and their attempts",
    responses=problem_responses(401, 403, 422),
)
async def list_deliveries(
    session: SessionDep,
    _staff: StaffDep,
    channel: str | None = None,
    status: str | None = None,
    subscription_id: str | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[DeliveryOut]:
    after = None
    if cursor:
        at, last_id = decode_cursor(cursor, length=2)
        after = (datetime.fromisoformat(str(at)), str(last_id))
    rows = await repository.page(
        session, channel=channel, status=status, subscription_id=subscription_id, after=after, limit=limit + 1
    )
    items = rows[:limit]
    attempts = await repository.attempts_of(session, [d.id for d in items])
    nxt = encode_cursor([items[-1].created_at.isoformat(), items[-1].id]) if len(rows) > limit else None
    return Page[DeliveryOut](
        items=[out(d, attempts) for d in items],
        next_cursor=nxt,
        total=await repository.count(session, channel=channel, status=status, subscription_id=subscription_id),
    )


@router.post(
    "/api/v1/deliveries/{delivery_id}/retry",
    response_model=DeliveryOut,
    summary="重试死信 / Retry a dead letter",
    responses=problem_responses(401, 403, 404, 409),
)
async def retry_delivery(session: SessionDep, clock: ClockDep, _staff: StaffDep, delivery_id: str) -> DeliveryOut:
    delivery = await service.retry(session, delivery_id=delivery_id, now=clock.now())
    return out(delivery, await repository.attempts_of(session, [delivery.id]))


def channel_out(c: ChannelSetting) -> ChannelOut:
    config = {k: v for k, v in c.config.items() if k != "secret"}
    return ChannelOut(channel=c.channel, enabled=c.enabled, config=config, has_secret=bool(c.config.get("secret")))


@router.get(
    "/api/v1/channels",
    response_model=list[ChannelOut],
    summary="通知渠道 / Channels",
    responses=problem_responses(401, 403),
)
async def list_channels(session: SessionDep, _staff: StaffDep) -> list[ChannelOut]:
    return [channel_out(c) for c in (await repository.channel_settings(session)).values()]


@router.put(
    "/api/v1/channels",
    response_model=ChannelOut,
    summary="设置通知渠道 / Configure a channel",
    responses=problem_responses(401, 403, 422),
)
async def put_channel(
    session: SessionDep, clock: ClockDep, _staff: StaffDep, guard: GuardDep, body: ChannelIn
) -> ChannelOut:
    return channel_out(await service.configure_channel(session, data=body, guard=guard, now=clock.now()))
