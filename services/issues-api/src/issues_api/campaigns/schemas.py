"""Response bodies of campaigns (the definition file itself is YAML, see definition.py)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

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


class CampaignImportResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"campaign": CAMPAIGN_EXAMPLE, "units_created": 11, "tasks_created": 4}]}
    )

    campaign: CampaignOut
    units_created: int
    tasks_created: int


PREVIEW_EXAMPLE: dict[str, Any] = {
    "dry_run": True,
    "importable": False,
    "campaign": {
        "code": "ZF",
        "name": "作风纪律专项整治行动",
        "description": None,
        "starts_on": "2026-03-01",
        "ends_on": "2026-12-31",
        "escalation_policy": "default",
        "require_completion_evidence": False,
        "code_taken": False,
        "existing_campaign_id": None,
    },
    "phases": [
        {
            "index": 0,
            "code": "rectify",
            "name": "集中整治阶段",
            "starts_on": "2026-03-01",
            "ends_on": "2026-10-31",
            "concentrated": False,
        }
    ],
    "categories": [{"index": 0, "code": "ZF1", "name": "服务态度", "parent": None}],
    "units": [
        {
            "index": 0,
            "code": "SJZ",
            "name": "石家庄市",
            "kind": "city",
            "parent": None,
            "short_name": None,
            "aliases": [],
            "action": "match",
            "existing_id": "0b6c5f4e-3d2a-4b1c-8e9f-7a6b5c4d3e2f",
            "existing_name": "石家庄市",
        },
        {
            "index": 1,
            "code": "BD",
            "name": "保定市",
            "kind": "city",
            "parent": None,
            "short_name": None,
            "aliases": [],
            "action": "create",
            "existing_id": None,
            "existing_name": None,
        },
    ],
    "tasks": [
        {
            "index": 0,
            "code": "ZF-T1",
            "title": "窗口服务态度整改",
            "category": "ZF1",
            "category_name": "服务态度",
            "lead_unit": {"code": "SJZ", "name": "石家庄市"},
            "co_units": [{"code": "BD", "name": "保定市"}],
            "deadline": "2026-06-30",
            "phase": "rectify",
            "phase_name": "集中整治阶段",
        },
        {
            "index": 1,
            "code": "ZF-T2",
            "title": "窗口服务回访",
            "category": "ZF1",
            "category_name": "服务态度",
            "lead_unit": {"code": "XT", "name": None},
            "co_units": [],
            "deadline": "2026-12-31",
            "phase": "rectify",
            "phase_name": "集中整治阶段",
        },
    ],
    "units_to_create": 1,
    "units_matched": 1,
    "tasks_to_create": 2,
    "problems": [
        {"field": "tasks[1].lead_unit", "message": "任务 ZF-T2 引用了未知的单位 XT (task ZF-T2: unknown unit XT)"}
    ],
}


class DefinitionProblemOut(BaseModel):
    field: str = Field(description="字段路径，如 tasks[3].lead_unit；空为整个文件 / the field's path, empty: the file")
    message: str


class CampaignPreview(BaseModel):
    code: str
    name: str
    description: str | None
    starts_on: date
    ends_on: date
    escalation_policy: str = Field(description='策略名，内联步骤为 "inline" / the policy name, "inline" for steps')
    require_completion_evidence: bool
    code_taken: bool = Field(description="编码已被占用，导入将返回 409 / the code is taken: the import would be a 409")
    existing_campaign_id: str | None = Field(description="占用该编码的专项行动 / the campaign holding the code")


class PhasePreview(BaseModel):
    index: int = Field(description="在文件中的位置（phases[index]）/ position in the file")
    code: str
    name: str
    starts_on: date
    ends_on: date
    concentrated: bool


class CategoryPreview(BaseModel):
    index: int = Field(description="在文件中的位置（categories[index]）/ position in the file")
    code: str
    name: str
    parent: str | None


class UnitPreview(BaseModel):
    index: int = Field(description="在文件中的位置（units[index]）/ position in the file")
    code: str
    name: str
    kind: str
    parent: str | None
    short_name: str | None
    aliases: list[str]
    action: Literal["create", "match"] = Field(
        description="create 新建；match 按编码沿用已有单位 / create it, or reuse the unit of that code as it is"
    )
    existing_id: str | None
    existing_name: str | None = Field(description="已有单位的名称（导入后事项显示此名）/ the existing unit's name")


class UnitRef(BaseModel):
    code: str
    name: str | None = Field(
        description="事项将显示的单位名；未知单位为 null / the name items will show; null: unknown"
    )


class TaskPreview(BaseModel):
    index: int = Field(description="在文件中的位置（tasks[index]）/ position in the file")
    code: str | None
    title: str
    category: str
    category_name: str | None
    lead_unit: UnitRef
    co_units: list[UnitRef]
    deadline: date | None = Field(description="任务的时限，缺省为活动结束日 / the task's, else the campaign's end")
    phase: str | None = Field(description="所写阶段，否则时限所在阶段 / the phase named, else the deadline's")
    phase_name: str | None


class CampaignImportPreview(BaseModel):
    """What importing a definition file would do (`?dry_run=true`), written nowhere."""

    model_config = ConfigDict(json_schema_extra={"examples": [PREVIEW_EXAMPLE]})

    dry_run: Literal[True] = True
    importable: bool = Field(description="无问题且编码未占用 / no problems and the code is free: the import would pass")
    campaign: CampaignPreview | None = Field(description="活动信息；无法读出时为 null / null when it cannot be read")
    phases: list[PhasePreview]
    categories: list[CategoryPreview]
    units: list[UnitPreview]
    tasks: list[TaskPreview] = Field(description="将登记并交办的任务事项 / the task items it would create and assign")
    units_to_create: int
    units_matched: int
    tasks_to_create: int
    problems: list[DefinitionProblemOut] = Field(
        description="导入将以 422 拒绝的全部问题 / every problem the import would refuse the file for (422)"
    )
