"""Deliveries: queued in the transaction of the message, sent by the worker, every attempt logged."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.config import DeliverySettings
from notify_api.delivery import repository
from notify_api.delivery.channels import SendResult
from notify_api.delivery.errors import DeliveryNotFound, DeliveryNotRetryable
from notify_api.delivery.models import ChannelSetting, Delivery, DeliveryAttempt
from notify_api.delivery.schemas import ChannelIn
from notify_api.notifications.templates import render
from notify_api.staging import stage

SUBSCRIPTION_DELETED = "Webhook 订阅已删除，未发送 / webhook subscription deleted: not sent"


async def enqueue(
    session: AsyncSession,
    *,
    dedupe_key: str,
    channel: str,
    target: str,
    event_type: str,
    subject: str,
    body: str,
    now: datetime,
    not_before: datetime,
    level: int | None = None,
    user_id: str | None = None,
    payload: dict[str, Any] | None = None,
    subscription_id: str | None = None,
    held: bool = False,
    check: bool = True,
    bulk: bool = False,
) -> None:
    """Queue one delivery unless one with the same key exists (a replay); `check=False` when the caller
    knows the key is new, `bulk` to stage the row for the caller's `write_staged`."""
    if check and await repository.exists(session, dedupe_key):
        return
    row: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "dedupe_key": dedupe_key,
        "channel": channel,
        "target": target,
        "user_id": user_id,
        "event_type": event_type,
        "level": level,
        "subject": subject,
        "body": body,
        "payload": payload or {},
        "subscription_id": subscription_id,
        "status": "held" if held else "pending",
        "attempts": 0,
        "next_attempt_at": max(now, not_before),
        "lease_until": None,
        "last_error": None,
        "created_at": now,
        "sent_at": None,
    }
    if bulk:
        stage(session, Delivery, row)
    else:
        session.add(Delivery(**row))


def backoff_seconds(attempts: int, settings: DeliverySettings, jitter: float) -> float:
    """Exponential backoff with jitter: base·2^(attempts−1), capped, scaled by a factor in [0.5, 1]."""
    raw = min(settings.backoff_max_seconds, settings.backoff_base_seconds * 2.0 ** max(attempts - 1, 0))
    return raw * (0.5 + jitter / 2)


async def record_result(
    session: AsyncSession,
    *,
    delivery_id: str,
    result: SendResult,
    at: datetime,
    duration_ms: int,
    settings: DeliverySettings,
    jitter: float,
) -> None:
    """Log the attempt and move the delivery: sent, retry later, or dead after the last attempt."""
    delivery = await repository.get(session, delivery_id, lock=True)
    if delivery is None or delivery.status != "sending":
        return
    await repository.add_attempt(
        session,
        DeliveryAttempt(
            delivery_id=delivery_id,
            attempted_at=at,
            ok=result.ok,
            status_code=result.status_code,
            error=result.error,
            duration_ms=duration_ms,
        ),
    )
    delivery.attempts += 1
    delivery.lease_until = None
    if result.ok:
        delivery.status, delivery.sent_at, delivery.last_error = "sent", at, None
    elif delivery.attempts >= settings.max_attempts:
        delivery.status, delivery.last_error = "dead", result.error
    else:
        delivery.status, delivery.last_error = "pending", result.error
        delivery.next_attempt_at = at + timedelta(seconds=backoff_seconds(delivery.attempts, settings, jitter))
    await session.flush()


async def retry(session: AsyncSession, *, delivery_id: str, now: datetime) -> Delivery:
    """Send a dead letter again from scratch (manual retry)."""
    delivery = await repository.get(session, delivery_id, lock=True)
    if delivery is None:
        raise DeliveryNotFound(delivery_id)
    if delivery.status != "dead":
        raise DeliveryNotRetryable(f"status is {delivery.status}", status_value=delivery.status)
    if delivery.subscription_id and not await repository.subscription_exists(session, delivery.subscription_id):
        raise DeliveryNotRetryable(
            "its webhook subscription was deleted / 其 Webhook 订阅已删除", status_value=delivery.status
        )
    delivery.status, delivery.attempts, delivery.next_attempt_at = "pending", 0, now
    await session.flush()
    return delivery


async def fold_digests(session: AsyncSession, *, now: datetime, locales: dict[str, str]) -> int:
    """Fold each user's held reminders into one digest e-mail; returns how many digests were queued."""
    held = await repository.held_due(session, now=now)
    by_user: dict[tuple[str | None, str], list[Delivery]] = defaultdict(list)
    for d in held:
        by_user[(d.user_id, d.target)].append(d)
    for (user_id, target), items in by_user.items():
        title, body = render(
            "digest", locales.get(user_id or ""), {"count": len(items), "lines": [i.subject for i in items]}
        )
        await enqueue(
            session,
            dedupe_key=f"digest:{items[0].id}",
            channel="email",
            target=target,
            user_id=user_id,
            event_type="digest",
            subject=title,
            body=body,
            now=now,
            not_before=now,
        )
        for item in items:
            item.status = "folded"
    await session.flush()
    return len(by_user)


async def configure_channel(session: AsyncSession, *, data: ChannelIn, now: datetime) -> ChannelSetting:
    """Enable or disable a channel and set its URL and secret (a missing secret keeps the stored one)."""
    row = await session.get(ChannelSetting, data.channel) or ChannelSetting(channel=data.channel, config={})
    config = dict(row.config or {})
    for key in ("webhook_url", "url", "secret"):
        value = getattr(data, key)
        if value is not None:
            config[key] = value
    row.enabled, row.config, row.updated_at = data.enabled, config, now
    session.add(row)
    await session.flush()
    return row


async def cancel_for_subscription(session: AsyncSession, *, subscription_id: str) -> int:
    """Dead-letter the queued and retrying deliveries of a deleted webhook subscription so that none goes out;
    their attempt log stays readable. One being sent right now finishes; the worker dead-letters any that is
    leased again later. Returns how many were cancelled."""
    return await repository.cancel_queued(session, subscription_id=subscription_id, reason=SUBSCRIPTION_DELETED)


async def retarget_subscription(session: AsyncSession, *, subscription_id: str, url: str) -> None:
    """Point the undelivered deliveries of a subscription (queued, retrying, dead letters) at its new URL."""
    await repository.retarget(session, subscription_id=subscription_id, target=url)
