"""Queries of deliveries, their attempts and the channel settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.db import insert_rows, present
from notify_api.delivery import doorbell
from notify_api.delivery.models import ChannelSetting, Delivery, DeliveryAttempt
from notify_api.webhooks.models import WebhookSubscription


async def channel_settings(session: AsyncSession) -> dict[str, ChannelSetting]:
    return {c.channel: c for c in (await session.execute(select(ChannelSetting))).scalars()}


async def claim_due(session: AsyncSession, *, now: datetime, limit: int, lease_until: datetime) -> list[Delivery]:
    """Lease due deliveries (and those whose lease ran out: a worker died while sending); deliveries of a paused
    webhook subscription wait until it is resumed."""
    paused = select(WebhookSubscription.id).where(WebhookSubscription.active.is_(False))
    query = (
        select(Delivery)
        .where(
            or_(
                (Delivery.status == "pending") & (Delivery.next_attempt_at <= now),
                (Delivery.status == "sending") & (Delivery.lease_until < now),
            ),
            or_(Delivery.subscription_id.is_(None), Delivery.subscription_id.not_in(paused)),
        )
        .order_by(Delivery.next_attempt_at)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list((await session.execute(query)).scalars())
    for row in rows:
        row.status, row.lease_until = "sending", lease_until
    await session.flush()
    return rows


async def next_due(session: AsyncSession) -> datetime | None:
    """When `claim_due` will next find something: the first pending delivery's next attempt or the first lease
    to run out (a paused subscription's wait for its resume, which rings the worker); None when nothing waits."""
    paused = select(WebhookSubscription.id).where(WebhookSubscription.active.is_(False))
    sendable = or_(Delivery.subscription_id.is_(None), Delivery.subscription_id.not_in(paused))
    pending = select(func.min(Delivery.next_attempt_at)).where(Delivery.status == "pending", sendable)
    leased = select(func.min(Delivery.lease_until)).where(Delivery.status == "sending", sendable)
    moments = (await session.execute(select(pending.scalar_subquery(), leased.scalar_subquery()))).one()
    return min((moment for moment in moments if moment is not None), default=None)


def held_until(now: datetime) -> ColumnElement[bool]:
    """A delivery held for a digest whose time has come at `now`."""
    return and_(Delivery.status == "held", Delivery.next_attempt_at <= now)


async def held_due(session: AsyncSession, *, now: datetime) -> list[Delivery]:
    query = select(Delivery).where(held_until(now))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list((await session.execute(query.order_by(Delivery.user_id, Delivery.created_at))).scalars())


async def add_attempt(session: AsyncSession, attempt: DeliveryAttempt) -> None:
    session.add(attempt)
    await session.flush()


async def get(session: AsyncSession, delivery_id: str, *, lock: bool = False) -> Delivery | None:
    query = select(Delivery).where(Delivery.id == delivery_id)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def attempts_of(session: AsyncSession, delivery_ids: list[str]) -> list[DeliveryAttempt]:
    query = select(DeliveryAttempt).where(DeliveryAttempt.delivery_id.in_(delivery_ids)).order_by(DeliveryAttempt.id)
    return list((await session.execute(query)).scalars())


async def page(
    session: AsyncSession,
    *,
    channel: str | None,
    status: str | None,
    subscription_id: str | None = None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[Delivery]:
    query = select(Delivery).where(*_filters(channel, status, subscription_id))
    if after is not None:
        query = query.where(
            or_(Delivery.created_at < after[0], (Delivery.created_at == after[0]) & (Delivery.id < after[1]))
        )
    query = query.order_by(Delivery.created_at.desc(), Delivery.id.desc()).limit(limit)
    return list((await session.execute(query)).scalars())


async def release(session: AsyncSession, delivery_id: str, **values: object) -> None:
    await session.execute(update(Delivery).where(Delivery.id == delivery_id).values(**values))


def _filters(channel: str | None, status: str | None, subscription_id: str | None) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if channel:
        found.append(Delivery.channel == channel)
    if status:
        found.append(Delivery.status == status)
    if subscription_id:
        found.append(Delivery.subscription_id == subscription_id)
    return found


async def count(
    session: AsyncSession, *, channel: str | None, status: str | None, subscription_id: str | None = None
) -> int:
    query = select(func.count()).select_from(Delivery).where(*_filters(channel, status, subscription_id))
    return int((await session.execute(query)).scalar_one())


async def subscription_exists(session: AsyncSession, subscription_id: str) -> bool:
    query = select(WebhookSubscription.id).where(WebhookSubscription.id == subscription_id)
    return (await session.execute(query)).first() is not None


async def dead_letter_orphans(session: AsyncSession, *, reason: str) -> int:
    """Turn the queued and retrying deliveries of deleted webhook subscriptions into dead letters; returns how
    many."""
    existing = select(WebhookSubscription.id)
    query = (
        update(Delivery)
        .where(
            Delivery.subscription_id.is_not(None),
            Delivery.subscription_id.not_in(existing),
            Delivery.status == "pending",
        )
        .values(status="dead", last_error=reason, lease_until=None)
    )
    result = await session.execute(query)
    return int(getattr(result, "rowcount", 0) or 0)


async def existing_keys(session: AsyncSession, dedupe_keys: list[str]) -> set[str]:
    return await present(session, Delivery.dedupe_key, dedupe_keys)


async def insert(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    if rows:
        doorbell.mark(session)  # a Core insert: the worker's doorbell would not see it
    await insert_rows(session, Delivery, rows)
