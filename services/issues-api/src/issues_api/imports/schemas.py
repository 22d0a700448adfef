"""Bodies of the import API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class RowError(BaseModel):
    row: int = Field(description="行号（表头为第 1 行）/ row number as the sheet shows it (header = 1)")
    field: str = Field(description="字段 / field")
    message: str = Field(description="说明（中文）/ what is wrong, in Chinese")
    message_en: str = Field(description="what is wrong, in English")


class PreviewRow(BaseModel):
    """A row as the import reads it (dry run): new, there already, or in error."""

    row: int
    state: Literal["new", "existing", "invalid"] = Field(description="新增 / 已存在 / 有错误")
    title: str
    cause: str | None = Field(default=None, description="原因 / cause, as the row writes it")
    measures: str | None = Field(default=None, description="措施 / measures, as the row writes it")
    lead_unit_id: str | None = None
    co_unit_ids: list[str] = Field(default_factory=list)
    deadline: date | None = None
    category_id: str | None = None
    phase_id: str | None = None


class LedgerImportResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "dry_run": False,
                    "campaign_id": "6a1d3c52-8f0e-4f7b-9d0a-2b3c4d5e6f70",
                    "rows": 2,
                    "created": ["YS-2026-0101", "YS-2026-0102"],
                    "existing": 0,
                    "errors": [],
                    "preview": [],
                }
            ]
        }
    )

    dry_run: bool
    campaign_id: str = Field(description="导入到的专项行动 / the campaign imported into")
    rows: int = Field(description="data rows read / 读取的数据行数")
    created: list[str] = Field(description="codes of the issues created / 新建事项编号")
    existing: int = Field(
        default=0,
        description="已导入过（或文件中重复）的行，未再登记 / rows imported before (or repeated): not created again",
    )
    errors: list[RowError] = Field(description="[{row, field, message}] / 行错误")
    preview: list[PreviewRow] = Field(default_factory=list, description="dry run: every row as read / 预览")


class ImportJobOut(BaseModel):
    """An import running in the background: `done` of `total` rows created so far."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "5f0c9a1e-7d2b-4c3e-9a8f-0b1c2d3e4f50",
                    "campaign_id": "6a1d3c52-8f0e-4f7b-9d0a-2b3c4d5e6f70",
                    "status": "running",
                    "filename": "整改台账.xlsx",
                    "total": 120,
                    "done": 40,
                    "existing": 3,
                    "created": ["YS-2026-0101", "YS-2026-0102"],
                    "error": None,
                    "created_at": "2026-12-03T02:00:00Z",
                    "finished_at": None,
                }
            ]
        }
    )

    id: str
    campaign_id: str
    status: Literal["running", "done", "failed", "interrupted"]
    filename: str
    total: int = Field(description="rows to create / 待新建的行数")
    done: int = Field(description="rows created so far / 已新建的行数")
    existing: int = Field(description="rows imported before / 已导入过的行数")
    created: list[str] = Field(description="codes created so far / 已新建事项编号")
    error: str | None
    created_at: datetime
    finished_at: datetime | None


DRY_RUN_EXAMPLE = {
    "dry_run": True,
    "campaign_id": "6a1d3c52-8f0e-4f7b-9d0a-2b3c4d5e6f70",
    "rows": 2,
    "created": [],
    "existing": 0,
    "errors": [{"row": 3, "field": "lead_unit", "message": "未知单位：法制办", "message_en": "unknown unit: 法制办"}],
    "preview": [
        {
            "row": 2,
            "state": "new",
            "title": "行政审批事项办理时限超过承诺时限",
            "cause": "审批环节多、材料反复补正",
            "measures": "压减审批环节，实行一次性告知",
            "lead_unit_id": "0b5c2f7e-1a2b-4c3d-8e9f-101112131415",
            "co_unit_ids": [],
            "deadline": "2026-12-31",
            "category_id": "3c4d5e6f-7081-4293-a4b5-c6d7e8f90a1b",
            "phase_id": "4d5e6f70-8192-43a4-b5c6-d7e8f90a1b2c",
        },
        {
            "row": 3,
            "state": "invalid",
            "title": "窗口工作人员服务态度生硬",
            "cause": None,
            "measures": None,
            "lead_unit_id": None,
            "co_unit_ids": [],
            "deadline": None,
            "category_id": None,
            "phase_id": None,
        },
    ],
}


def dry_run_response(model: type[BaseModel], example: dict[str, Any]) -> dict[str, Any]:
    """The `responses=` entry of an import's 200 dry-run answer: its model and an example."""
    return {
        "model": model,
        "description": "试导入：每行的错误与预览，不写入 / dry run: each row's errors and a preview, nothing written",
        "content": {"application/json": {"example": example}},
    }
