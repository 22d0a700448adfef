"""Queries of webhook subscriptions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.webhooks.models import WebhookSubscription


async def active_for(session: AsyncSession, event_type: str) -> list[WebhookSubscription]:
    rows = (await session.execute(select(WebhookSubscription).where(WebhookSubscription.active.is_(True)))).scalars()
    return [r for r in rows if event_type in r.event_types or "*" in r.event_types]


async def all_subscriptions(session: AsyncSession) -> list[WebhookSubscription]:
    query = select(WebhookSubscription).order_by(WebhookSubscription.created_at)
    return list((await session.execute(query)).scalars())
