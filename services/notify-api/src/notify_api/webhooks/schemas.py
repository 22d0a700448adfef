"""Webhook subscriptions as the API takes and shows them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

WebhookEventType = Literal["escalation.fired", "escalation.acknowledged", "notification.created", "*"]


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: AnyHttpUrl = Field(description="接收地址 / receiver URL")
    secret: str = Field(min_length=16, max_length=200, description="HMAC-SHA256 签名密钥 / signing secret")
    event_types: list[WebhookEventType] = Field(min_length=1)
    description: str = Field(default="", max_length=200)


class WebhookOut(BaseModel):
    id: str
    url: str
    event_types: list[str]
    description: str
    active: bool
    created_at: dt.datetime
