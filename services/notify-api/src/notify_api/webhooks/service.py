"""Webhook subscriptions of other systems."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.delivery import service as delivery_service
from notify_api.webhooks import repository
from notify_api.webhooks.errors import WebhookNotFound
from notify_api.webhooks.models import WebhookSubscription
from notify_api.webhooks.schemas import WebhookIn, WebhookPatch


async def subscribe(session: AsyncSession, *, data: WebhookIn, now: datetime) -> WebhookSubscription:
    """Store a subscription; matching events are signed with its secret (never shown again)."""
    sub = WebhookSubscription(
        id=str(uuid.uuid4()),
        url=str(data.url),
        secret=data.secret,
        event_types=list(data.event_types),
        description=data.description,
        active=True,
        created_at=now,
    )
    session.add(sub)
    await session.flush()
    return sub


async def list_all(session: AsyncSession) -> list[WebhookSubscription]:
    return await repository.all_subscriptions(session)


async def get(session: AsyncSession, *, subscription_id: str) -> WebhookSubscription:
    sub = await repository.get(session, subscription_id)
    if sub is None:
        raise WebhookNotFound(subscription_id)
    return sub


async def change(session: AsyncSession, *, subscription_id: str, data: WebhookPatch) -> WebhookSubscription:
    """Change the given fields. A new URL re-targets the deliveries not yet delivered; a new secret signs
    every later attempt, queued ones included; `active=false` stops new deliveries and holds the queued ones
    until `active=true`; new event types apply to events from now on."""
    sub = await repository.get(session, subscription_id, lock=True)
    if sub is None:
        raise WebhookNotFound(subscription_id)
    if data.url is not None and str(data.url) != sub.url:
        sub.url = str(data.url)
        await delivery_service.retarget_subscription(session, subscription_id=sub.id, url=sub.url)
    if data.secret is not None:
        sub.secret = data.secret
    if data.event_types is not None:
        sub.event_types = list(data.event_types)
    if data.description is not None:
        sub.description = data.description
    if data.active is not None:
        sub.active = data.active
    await session.flush()
    return sub


async def unsubscribe(session: AsyncSession, *, subscription_id: str) -> None:
    """Delete the subscription: no new deliveries, its queued and retrying ones become dead letters (they never
    go out), and its delivery log stays readable under /api/v1/deliveries?subscription_id=."""
    sub = await repository.get(session, subscription_id, lock=True)
    if sub is None:
        raise WebhookNotFound(subscription_id)
    await delivery_service.cancel_for_subscription(session, subscription_id=sub.id)
    await repository.delete(session, sub)
