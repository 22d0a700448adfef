"""Escalations as the API shows them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from notify_api.policies.labels import StepLabel

ESCALATION_EXAMPLE: dict[str, Any] = {
    "id": "6d5c4b3a-2918-4f7e-8d6c-5b4a39281706",
    "issue_id": "0b5f0c8e-5a0a-4c1f-9f1e-3a4c2b1d0e9f",
    "issue_code": "YS-2017-0042",
    "issue_title": "企业开办需重复提交营业执照复印件",
    "campaign_id": "6a1d3c52-8f0e-4f7b-9d0a-2b3c4d5e6f70",
    "unit_id": "9c2e4b10-1f3a-4d5e-8b7c-6a5f4e3d2c1b",
    "level": 3,
    "step": "T+3",
    "label": {"zh": "超期 3 个工作日", "en": "3 working days overdue"},
    "number": "督办〔2026〕12 号",
    "deadline": "2026-12-15",
    "fired_at": "2026-12-18T01:00:00Z",
    "acknowledged_at": None,
}


class EscalationOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [ESCALATION_EXAMPLE]})

    id: str
    issue_id: str
    issue_code: str | None = Field(default=None, description="事项编号 / the issue's code")
    issue_title: str | None = Field(default=None, description="事项标题 / the issue's title")
    campaign_id: str
    unit_id: str | None
    level: int = Field(description="0 临近提醒 1 催办 2 督办 3 通报 4 约谈/问责")
    step: str = Field(description="步骤代码 / step code")
    label: StepLabel = Field(description="步骤名称 / what the step means, in Chinese and English")
    number: str | None = Field(description="督办/通报文号，如 督〔2026〕12号 / notice number")
    deadline: dt.date | None
    fired_at: dt.datetime
    acknowledged_at: dt.datetime | None


class PlannedStep(BaseModel):
    step: str = Field(description="步骤代码 / step code")
    label: StepLabel = Field(description="步骤名称 / what the step means, in Chinese and English")
    level: int = Field(description="0 临近提醒 1 催办 2 督办 3 通报 4 约谈/问责")
    due_at: dt.datetime = Field(description="计划触发时间 / when the step fires")
    provisional: bool = Field(description="按暂定日历计算 / counted on a year without official data")


class PlannedSteps(BaseModel):
    issue_id: str
    items: list[PlannedStep] = Field(description="尚未触发的督办步骤，按时间先后 / steps still to fire, soonest first")
