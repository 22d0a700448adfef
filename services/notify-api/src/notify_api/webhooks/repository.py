"""Queries of webhook subscriptions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.webhooks.models import WebhookSubscription


async def all_subscriptions(session: AsyncSession) -> list[WebhookSubscription]:
    query = select(WebhookSubscription).order_by(WebhookSubscription.created_at)
    return list((await session.execute(query)).scalars())
