"""The inbox as the API shows it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

NOTIFICATION_EXAMPLE: dict[str, Any] = {
    "id": "4b3a2918-0f7e-4d6c-9b5a-493827160504",
    "kind": "assigned",
    "level": None,
    "issue_id": "0b5f0c8e-5a0a-4c1f-9f1e-3a4c2b1d0e9f",
    "intake_id": None,
    "escalation_id": None,
    "title": "【交办】YS-2017-0042《企业开办需重复提交营业执照复印件》",
    "body": "请于 2026-12-15 前办结。",
    "created_at": "2026-11-20T02:00:05Z",
    "read_at": None,
}


class NotificationOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [NOTIFICATION_EXAMPLE]})

    id: str
    kind: str = Field(description="assigned | returned | escalation | … / 消息类型")
    level: int | None
    issue_id: str | None = Field(description="所涉事项 / the issue the message is about")
    intake_id: str | None = Field(description="所涉诉求（新诉求消息）/ the public submission it is about")
    escalation_id: str | None
    title: str
    body: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class UnreadCount(BaseModel):
    unread: int


class ReadAll(BaseModel):
    marked: int = Field(description="本次标为已读的条数 / how many were marked read")
