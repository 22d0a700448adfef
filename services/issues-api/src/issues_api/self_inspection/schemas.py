"""Bodies of the self-inspection (自查自纠) API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from issues_api.imports.schemas import LedgerImportResult
from issues_api.ledger.schemas import Body, Kind

ReviewStatus = Literal["pending", "sent_back", "confirmed"]


class SelfInspectionCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "campaign_id": "hebei-2017",
                    "title": "企业开办材料重复提交",
                    "description": "窗口要求企业重复提交营业执照复印件",
                    "cause": "部门间未共享证照信息",
                    "measures": "接入电子证照库，取消复印件",
                }
            ]
        }
    )

    campaign_id: str = Field(description="专项行动 / campaign")
    unit_id: str | None = Field(
        default=None, description="自查单位；单位用户只能为本单位填报 / the unit; a unit user files only for its own"
    )
    title: str = Field(min_length=1, max_length=300, description="问题 / the problem")
    description: str = Field(min_length=1, max_length=20_000, description="问题描述 / description")
    cause: str = Field(min_length=1, max_length=20_000, description="原因 / cause")
    measures: str = Field(min_length=1, max_length=20_000, description="整改措施 / measures")
    kind: Kind = Field(default="problem", description="问题 problem 或任务 task")
    category_id: str | None = Field(default=None, description="领域分类 / category")
    phase_id: str | None = Field(default=None, description="所属阶段 / phase (default: the phase of the day)")


class SelfInspectionRevise(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"measures": "接入电子证照库，取消复印件，6月底前完成"}]})

    """What the unit corrects after the office sent the item back; only the fields sent change."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, min_length=1, max_length=20_000)
    cause: str | None = Field(default=None, min_length=1, max_length=20_000)
    measures: str | None = Field(default=None, min_length=1, max_length=20_000)


class ConfirmBody(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"co_unit_ids": [], "deadline": "2026-12-31", "requirements": "按措施清单整改，按月报送进展"}]
        }
    )

    co_unit_ids: list[str] = Field(default_factory=list, max_length=50, description="协办单位 / co-units")
    deadline: date | None = Field(default=None, description="整改时限；缺省为所属阶段结束日 / default: the phase's end")
    requirements: str | None = Field(default=None, max_length=20_000, description="要求 / requirements")


class SendBackBody(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "原因分析不具体，请补充"}]})

    reason: str = Field(min_length=1, max_length=5000, description="退回理由 / why it goes back to the unit")


class ReviewOut(BaseModel):
    issue_id: str
    unit_id: str
    status: ReviewStatus = Field(description="pending 待确认 · sent_back 已退回修改 · confirmed 已确认")
    reason: str | None = Field(description="退回理由 / the office's reason when sent back")
    filed_at: datetime
    decided_at: datetime | None


class SelfInspectionBatchResult(LedgerImportResult):
    """批量录入: what a unit's list of rows did (or, in a dry run, would do) on that unit's list."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "dry_run": False,
                    "campaign_id": "6a1d3c52-8f0e-4f7b-9d0a-2b3c4d5e6f70",
                    "unit_id": "0b5c2f7e-1a2b-4c3d-8e9f-101112131415",
                    "rows": 2,
                    "created": ["YS-2017-0101", "YS-2017-0102"],
                    "existing": 0,
                    "errors": [],
                    "preview": [],
                }
            ]
        }
    )

    unit_id: str = Field(description="登记在其名下的单位 / the unit whose list the rows are on")


BATCH_DRY_RUN_EXAMPLE = {
    "dry_run": True,
    "campaign_id": "6a1d3c52-8f0e-4f7b-9d0a-2b3c4d5e6f70",
    "unit_id": "0b5c2f7e-1a2b-4c3d-8e9f-101112131415",
    "rows": 2,
    "created": [],
    "existing": 0,
    "errors": [{"row": 3, "field": "measures", "message": "须填写整改措施", "message_en": "measures is required"}],
    "preview": [
        {
            "row": 2,
            "state": "new",
            "title": "业务窗口一次性告知落实不到位",
            "cause": "告知清单未及时更新",
            "measures": "更新告知清单，每月抽查",
            "lead_unit_id": None,
            "co_unit_ids": [],
            "deadline": None,
            "category_id": None,
            "phase_id": "4d5e6f70-8192-43a4-b5c6-d7e8f90a1b2c",
        },
        {
            "row": 3,
            "state": "invalid",
            "title": "档案管理不规范",
            "cause": "制度缺失",
            "measures": None,
            "lead_unit_id": None,
            "co_unit_ids": [],
            "deadline": None,
            "category_id": None,
            "phase_id": None,
        },
    ],
}
