"""The inbox as the API shows it."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class NotificationOut(BaseModel):
    id: str
    kind: str = Field(description="assigned | returned | escalation | … / 消息类型")
    level: int | None
    issue_id: str | None
    escalation_id: str | None
    title: str
    body: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class UnreadCount(BaseModel):
    unread: int
