"""Webhook subscriptions of other systems: which events, filtered by campaign and unit, signed with which
secret; a subscription made by an integration client is that client's, and carries what it may read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from notify_api.db import Base
from rectify_kit.db import JSONType, UTCDateTime


class WebhookSubscription(Base):
    __tablename__ = "webhook_subscriptions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(200))
    # After a rotation the previous secret signs too, until `previous_secret_until`.
    previous_secret: Mapped[str | None] = mapped_column(String(200))
    previous_secret_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    event_types: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    campaign_ids: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    unit_ids: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    description: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The integration client that made it (None: the office or an admin), with its scopes and bound units as
    # its token last said: a client's subscription receives only what that client may read.
    owner_client_id: Mapped[str | None] = mapped_column(String(80), index=True)
    owner_scopes: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    owner_unit_ids: Mapped[list[Any]] = mapped_column(JSONType, default=list)
