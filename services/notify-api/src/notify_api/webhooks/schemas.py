"""Webhook subscriptions as the API takes and shows them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, model_validator

WebhookEventType = Literal["escalation.fired", "escalation.acknowledged", "notification.created", "*"]


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: AnyHttpUrl = Field(description="接收地址 / receiver URL")
    secret: str = Field(min_length=16, max_length=200, description="HMAC-SHA256 签名密钥 / signing secret")
    event_types: list[WebhookEventType] = Field(min_length=1)
    description: str = Field(default="", max_length=200)


class WebhookPatch(BaseModel):
    """The fields to change; a field left out keeps its value, and none of them may be null."""

    model_config = ConfigDict(extra="forbid")

    url: AnyHttpUrl | None = Field(default=None, description="接收地址 / receiver URL")
    secret: str | None = Field(
        default=None, min_length=16, max_length=200, description="轮换签名密钥（不回显）/ rotate the signing secret"
    )
    event_types: list[WebhookEventType] | None = Field(default=None, min_length=1)
    description: str | None = Field(default=None, max_length=200)
    active: bool | None = Field(default=None, description="false 暂停，true 恢复 / false pauses, true resumes")

    @model_validator(mode="after")
    def _no_nulls(self) -> WebhookPatch:
        nulls = sorted(name for name in self.model_fields_set if getattr(self, name) is None)
        if nulls:
            raise ValueError(f"fields may be left out but not null: {', '.join(nulls)}")
        return self


class WebhookOut(BaseModel):
    id: str
    url: str
    event_types: list[str]
    description: str
    active: bool
    created_at: dt.datetime
