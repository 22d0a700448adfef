"""Webhook subscriptions as the API takes and shows them, and what a delivered event is about."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, StrictBool, model_validator
from pydantic.json_schema import SkipJsonSchema

# `issue.assigned`, `issue.*`, `intake.*`, `escalation.fired`, `notification.created`, or `*`.
EVENT_TYPE = r"^(\*|(issue|intake|escalation|notification)\.(\*|[a-z_]+))$"
WEBHOOK_IN_EXAMPLE: dict[str, Any] = {
    "url": "https://oa.sjz.example.gov.cn/rectify/webhook",
    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "event_types": ["issue.assigned", "issue.closed"],
    "campaign_ids": [],
    "unit_ids": ["9c2e4b10-1f3a-4d5e-8b7c-6a5f4e3d2c1b"],
    "description": "石家庄市协同办公：交办与销号",
}
WEBHOOK_OUT_EXAMPLE: dict[str, Any] = {
    "id": "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918",
    "url": WEBHOOK_IN_EXAMPLE["url"],
    "event_types": WEBHOOK_IN_EXAMPLE["event_types"],
    "campaign_ids": [],
    "unit_ids": WEBHOOK_IN_EXAMPLE["unit_ids"],
    "description": WEBHOOK_IN_EXAMPLE["description"],
    "active": True,
    "created_at": "2026-11-20T02:00:00Z",
    "owner_client_id": "sjz-oa",
    "previous_secret_valid_until": None,
}

EventType = Annotated[str, Field(pattern=EVENT_TYPE, max_length=60)]
Ids = Annotated[list[Annotated[str, Field(min_length=1, max_length=36)]], Field(max_length=100)]
SIGNING_HELP = (
    "签名密钥：任意 16–200 个字符，或 Standard Webhooks 形式 whsec_<base64> / "
    "signing secret: any 16-200 characters, or the Standard Webhooks form whsec_<base64>"
)


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [WEBHOOK_IN_EXAMPLE]})

    url: AnyHttpUrl = Field(description="接收地址（须为公网地址）/ receiver URL (a public address)")
    secret: str = Field(min_length=16, max_length=200, description=SIGNING_HELP)
    event_types: list[EventType] = Field(
        min_length=1, max_length=30, description="事件类型，可用 issue.* 等通配 / event types, `issue.*` style or `*`"
    )
    campaign_ids: Ids = Field(default_factory=list, description="仅这些专项行动（空：全部）/ only these campaigns")
    unit_ids: Ids = Field(default_factory=list, description="仅涉及这些单位（空：全部）/ only issues of these units")
    description: str = Field(default="", max_length=200)


def _left_out_not_null(schema: dict[str, Any]) -> None:
    """A PATCH field's schema is its value's: no `null` (`SkipJsonSchema[None]` only stands for "left out")
    and no `default: null`."""
    for field_schema in schema.get("properties", {}).values():
        field_schema.pop("default", None)


Secret = Annotated[str, Field(min_length=16, max_length=200)]
EventTypes = Annotated[list[EventType], Field(min_length=1, max_length=30)]
Description = Annotated[str, Field(max_length=200)]


class WebhookPatch(BaseModel):
    """The fields to change; a field left out keeps its value, and none of them may be null (the schema says
    so: no field is nullable)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_left_out_not_null)

    url: AnyHttpUrl | SkipJsonSchema[None] = Field(default=None, description="接收地址 / receiver URL")
    secret: Secret | SkipJsonSchema[None] = Field(
        default=None,
        description="轮换签名密钥（不回显；旧密钥 24 小时内仍同时签名）/ rotate the secret (the old one signs 24 h)",
    )
    event_types: EventTypes | SkipJsonSchema[None] = Field(default=None, description="事件类型 / event types")
    campaign_ids: Ids | SkipJsonSchema[None] = Field(default=None, description="空列表：全部 / empty: every campaign")
    unit_ids: Ids | SkipJsonSchema[None] = Field(default=None, description="空列表：全部 / empty: every unit")
    description: Description | SkipJsonSchema[None] = None
    active: StrictBool | SkipJsonSchema[None] = Field(
        default=None, description="false 暂停，true 恢复 / false pauses, true resumes"
    )

    @model_validator(mode="after")
    def _no_nulls(self) -> WebhookPatch:
        nulls = sorted(name for name in self.model_fields_set if getattr(self, name) is None)
        if nulls:
            raise ValueError(f"fields may be left out but not null: {', '.join(nulls)}")
        return self


class WebhookOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [WEBHOOK_OUT_EXAMPLE]})

    id: str
    url: str
    event_types: list[str]
    campaign_ids: list[str]
    unit_ids: list[str]
    description: str
    active: bool
    created_at: dt.datetime
    owner_client_id: str | None = Field(description="创建它的对接系统（空：办公室或管理员）/ the client that owns it")
    previous_secret_valid_until: dt.datetime | None = Field(
        description="轮换后旧密钥仍签名至 / after a rotation, the old secret also signs until then"
    )


@dataclass(frozen=True)
class Audience:
    """What an event is about, for choosing the subscriptions that receive it: its type, campaign and units
    (an issue's lead and co-units; none for a message about no issue)."""

    event_type: str
    campaign_id: str | None = None
    unit_ids: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Grant:
    """What the client owning a subscription may read now (its last `client.*` event): its scopes, the units it
    is bound to (none: every unit), and whether it is active."""

    scopes: frozenset[str]
    unit_ids: frozenset[str]
    active: bool = True
