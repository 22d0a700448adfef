"""Requests and answers of the meeting reports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from report_api.figures.filters import ID_PATTERN
from report_api.figures.schemas import PhaseRow

MEETING_EXAMPLE: dict[str, Any] = {
    "id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    "campaign_id": "6a1d3c52-8f0e-4f7b-9d0a-2b3c4d5e6f70",
    "period": "2026-11",
    "created_at": "2026-12-01T01:30:00Z",
    "created_by": "领导小组办公室",
    "as_of_seq": 18342,
    "figures": {"total": 128, "closed": 84, "overdue": 6, "closure_rate": 0.6667, "on_time_rate": 0.881},
    "changes": {"total": 9, "closed": 12, "overdue": -2, "closure_rate": 0.071, "on_time_rate": 0.012},
    "docx_url": "/api/v1/reports/meetings/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d.docx",
    "xlsx_url": "/api/v1/reports/meetings/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d.xlsx",
}


class MeetingCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"campaign_id": MEETING_EXAMPLE["campaign_id"], "period": "2026-11"}]},
    )

    campaign_id: str = Field(pattern=ID_PATTERN, description="专项行动 / campaign")
    # Checked before any work: a period that is no month is refused at once, never computed for.
    period: str = Field(
        pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
        description="例会周期（月份 YYYY-MM）/ meeting period, a month as YYYY-MM",
    )


class MeetingOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [MEETING_EXAMPLE]})

    id: str
    campaign_id: str
    period: str
    created_at: datetime
    created_by: str | None = Field(description="生成人（显示名称）/ who made it, by display name")
    as_of_seq: int
    figures: dict[str, Any] = Field(description="快照指标 / the figures frozen at creation")
    changes: dict[str, float | int | None] | None = Field(description="较上次例会 / change since the last meeting")
    phases: list[PhaseRow] = Field(
        default_factory=list,
        description="分阶段进度（快照，早于阶段的快照为空）/ the phases' progress as frozen (none in snapshots made"
        " before phases)",
    )
    docx_url: str
    xlsx_url: str


class MeetingList(BaseModel):
    items: list[MeetingOut]
