"""Escalations as the API shows them."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class EscalationOut(BaseModel):
    id: str
    issue_id: str
    issue_code: str | None = Field(default=None, description="事项编号 / the issue's code")
    issue_title: str | None = Field(default=None, description="事项标题 / the issue's title")
    campaign_id: str
    unit_id: str | None
    level: int = Field(description="0 临近提醒 1 催办 2 督办 3 通报 4 约谈/问责")
    step: str
    number: str | None = Field(description="督办/通报文号，如 督〔2026〕12号 / notice number")
    deadline: dt.date | None
    fired_at: dt.datetime
    acknowledged_at: dt.datetime | None
