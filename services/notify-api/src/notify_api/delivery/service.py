"""Deliveries after they are queued: each attempt logged and the delivery moved on (sent, retried later, dead),
manual retries of dead letters, and the channels' settings."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.config import DeliverySettings
from notify_api.delivery import repository
from notify_api.delivery.channels import SendResult
from notify_api.delivery.errors import DeliveryNotFound, DeliveryNotRetryable
from notify_api.delivery.models import ChannelSetting, Delivery, DeliveryAttempt
from notify_api.delivery.schemas import ChannelIn
from notify_api.outbound import OutboundGuard

SUBSCRIPTION_DELETED = "Webhook 订阅已删除，未发送 / webhook subscription deleted: not sent"


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


async def configure_channel(
    session: AsyncSession, *, data: ChannelIn, guard: OutboundGuard, now: datetime
) -> ChannelSetting:
    """Enable or disable a channel and set its URL and secret (a missing secret keeps the stored one); a robot or
    SMS-gateway URL must reach a permitted address (422 otherwise)."""
    for name in ("webhook_url", "url"):
        value = getattr(data, name)
        if value is not None:
            await guard.check_url(value, field_name=name)
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
