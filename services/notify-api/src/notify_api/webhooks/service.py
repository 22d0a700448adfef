"""Webhook subscriptions of other systems."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.webhooks import repository
from notify_api.webhooks.models import WebhookSubscription
from notify_api.webhooks.schemas import WebhookIn


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
