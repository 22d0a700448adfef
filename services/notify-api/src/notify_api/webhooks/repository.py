"""Queries of webhook subscriptions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.webhooks.models import WebhookSubscription


async def all_subscriptions(session: AsyncSession) -> list[WebhookSubscription]:
    query = select(WebhookSubscription).order_by(WebhookSubscription.created_at)
    return list((await session.execute(query)).scalars())


async def get(session: AsyncSession, subscription_id: str, *, lock: bool = False) -> WebhookSubscription | None:
    query = select(WebhookSubscription).where(WebhookSubscription.id == subscription_id)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def delete(session: AsyncSession, subscription: WebhookSubscription) -> None:
    await session.delete(subscription)
    await session.flush()


async def of_client(session: AsyncSession, client_id: str) -> list[WebhookSubscription]:
    query = select(WebhookSubscription).where(WebhookSubscription.owner_client_id == client_id)
    return list((await session.execute(query.order_by(WebhookSubscription.created_at))).scalars())
