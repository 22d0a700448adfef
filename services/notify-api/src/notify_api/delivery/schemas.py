"""Deliveries, their attempts and channel settings as the API shows them."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

DELIVERY_EXAMPLE: dict[str, Any] = {
    "id": "8f7e6d5c-4b3a-4291-8f0e-7d6c5b4a3928",
    "channel": "webhook",
    "target": "https://oa.sjz.example.gov.cn/rectify/webhook",
    "user_id": None,
    "event_type": "issue.assigned",
    "level": None,
    "subject": "issue.assigned YS-2017-0042",
    "subscription_id": "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918",
    "status": "pending",
    "attempts": 1,
    "next_attempt_at": "2026-11-20T02:01:05Z",
    "last_error": "HTTP 503",
    "created_at": "2026-11-20T02:00:05Z",
    "sent_at": None,
    "attempt_log": [
        {
            "attempted_at": "2026-11-20T02:00:35Z",
            "ok": False,
            "status_code": 503,
            "error": "HTTP 503",
            "duration_ms": 412,
        }
    ],
}

ChannelName = Literal["email", "sms", "wecom", "dingtalk"]


class AttemptOut(BaseModel):
    attempted_at: dt.datetime
    ok: bool
    status_code: int | None
    error: str | None
    duration_ms: int


class DeliveryOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [DELIVERY_EXAMPLE]})

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
    enabled: StrictBool
    webhook_url: str | None = Field(default=None, description="企业微信/钉钉机器人地址 / robot webhook URL")
    url: str | None = Field(default=None, description="短信网关地址 / SMS gateway URL")
    secret: str | None = Field(default=None, description="钉钉加签或短信网关签名密钥 / signing secret")


class ChannelOut(BaseModel):
    channel: str
    enabled: bool
    config: dict[str, Any] = Field(description="不含密钥 / without the secret")
    has_secret: bool
