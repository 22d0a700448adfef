"""Deliveries, their attempts and channel settings as the API shows them."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ChannelName = Literal["email", "sms", "wecom", "dingtalk"]


class AttemptOut(BaseModel):
    attempted_at: dt.datetime
    ok: bool
    status_code: int | None
    error: str | None
    duration_ms: int


class DeliveryOut(BaseModel):
    id: str
    channel: str
    target: str
    user_id: str | None
    event_type: str
    level: int | None
    subject: str
    subscription_id: str | None = Field(
        description="Webhook 订阅（删除后仍保留）/ the webhook subscription, kept after it is deleted"
    )
    status: str = Field(description="pending | sending | sent | dead | held | folded")
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str | None
    created_at: dt.datetime
    sent_at: dt.datetime | None
    attempt_log: list[AttemptOut]


class ChannelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: ChannelName
    enabled: bool
    webhook_url: str | None = Field(default=None, description="企业微信/钉钉机器人地址 / robot webhook URL")
    url: str | None = Field(default=None, description="短信网关地址 / SMS gateway URL")
    secret: str | None = Field(default=None, description="钉钉加签或短信网关签名密钥 / signing secret")


class ChannelOut(BaseModel):
    channel: str
    enabled: bool
    config: dict[str, Any] = Field(description="不含密钥 / without the secret")
    has_secret: bool
