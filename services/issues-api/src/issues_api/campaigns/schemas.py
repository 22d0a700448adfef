"""Response bodies of campaigns (the definition file itself is YAML, see definition.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

CAMPAIGN_EXAMPLE: dict[str, Any] = {
    "id": "6a1d3c52-8f0e-4f7b-9d0a-2b3c4d5e6f70",
    "code": "YS",
    "name": "优化营商环境专项行动",
    "description": "2026 年度全省优化营商环境问题整改",
    "starts_on": "2026-01-01",
    "ends_on": "2026-12-31",
    "escalation_policy": "default",
    "require_completion_evidence": False,
    "phases": [
        {
            "id": "7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2918",
            "code": "ZG",
            "name": "集中整改",
            "starts_on": "2026-03-01",
            "ends_on": "2026-10-31",
        }
    ],
    "categories": [
        {"id": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "code": "JZFQ", "name": "简政放权", "parent_id": None},
        {
            "id": "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f60",
            "code": "JZFQ-1",
            "name": "审批提速",
            "parent_id": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
        },
    ],
}


class PhaseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    code: str
    name: str
    starts_on: date
    ends_on: date


class CategoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    code: str
    name: str
    parent_id: str | None


class CampaignOut(BaseModel):
    """A campaign with its phases and category tree (the `Campaign` of events)."""

    model_config = ConfigDict(json_schema_extra={"examples": [CAMPAIGN_EXAMPLE]})

    id: str
    code: str
    name: str
    description: str | None
    starts_on: date
    ends_on: date
    escalation_policy: str
    require_completion_evidence: bool = Field(
        default=False, description="提交整改完成须附佐证材料 / a completion needs at least one evidence file"
    )
    phases: list[PhaseOut]
    categories: list[CategoryOut]


class ImportResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"campaign": CAMPAIGN_EXAMPLE, "units_created": 11, "tasks_created": 4}]}
    )

    campaign: CampaignOut
    units_created: int
    tasks_created: int
