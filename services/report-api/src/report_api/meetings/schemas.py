"""Requests and answers of the meeting reports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class MeetingCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"campaign_id": "3f0c…", "period": "2026-11"}]},
    )

    campaign_id: str = Field(min_length=1, max_length=36, description="专项行动 / campaign")
    period: str = Field(min_length=1, max_length=32, description="例会周期，如 2026-11 / meeting period")


class MeetingOut(BaseModel):
    id: str
    campaign_id: str
    period: str
    created_at: datetime
    created_by: str | None
    as_of_seq: int
    figures: dict[str, Any] = Field(description="快照指标 / the figures frozen at creation")
    changes: dict[str, float | int | None] | None = Field(description="较上次例会 / change since the last meeting")
    docx_url: str
    xlsx_url: str


class MeetingList(BaseModel):
    items: list[MeetingOut]
