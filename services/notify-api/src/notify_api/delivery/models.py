"""Outbound deliveries (e-mail, SMS, robots, webhooks), each attempt logged; and channel settings."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from notify_api.db import Base
from rectify_kit.db import JSONType, UTCDateTime


class Delivery(Base):
    """`status`: pending → sending (leased) → sent | pending (retry) | dead; `held` waits for a digest,
    `folded` went out inside one."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(250), unique=True)
    channel: Mapped[str] = mapped_column(String(20), index=True)
    target: Mapped[str] = mapped_column(String(500))
    # a user's id, or `submitter:<submission id>` for a citizen's messages
    user_id: Mapped[str | None] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(60))
    level: Mapped[int | None] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    subscription_id: Mapped[str | None] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DeliveryAttempt(Base):
    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(ForeignKey("deliveries.id", ondelete="CASCADE"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ok: Mapped[bool] = mapped_column(Boolean)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)


class ChannelSetting(Base):
    """One row per channel (`email`, `sms`, `wecom`, `dingtalk`): enabled, and its URL or secret."""

    __tablename__ = "channel_settings"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    config: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


def queued(
    *, dedupe_key: str, channel: str, target: str, event_type: str, subject: str, at: datetime, **fields: Any
) -> dict[str, Any]:
    """The row of a new delivery queued at `at` (for a bulk INSERT); `fields` sets the optional columns
    (`body`, `payload`, `user_id`, `level`, `subscription_id`, `status`, `next_attempt_at`)."""
    return {
        "id": str(uuid.uuid4()),
        "dedupe_key": dedupe_key,
        "channel": channel,
        "target": target,
        "event_type": event_type,
        "subject": subject,
        "body": "",
        "payload": {},
        "user_id": None,
        "level": None,
        "subscription_id": None,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": at,
        "lease_until": None,
        "last_error": None,
        "created_at": at,
        "sent_at": None,
        **fields,
    }
