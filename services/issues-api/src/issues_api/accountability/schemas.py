"""Bodies of the accountability records API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["约谈", "通报批评", "诫勉谈话", "责令书面检查", "问责", "其他"]


class RecordCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "unit_id": "…",
                    "issue_ids": ["…"],
                    "kind": "约谈",
                    "decided_on": "2026-12-02",
                    "outcome": "约谈主要负责人，责令 10 个工作日内整改到位",
                    "document": "冀科督〔2026〕3号",
                }
            ]
        },
    )

    unit_id: str = Field(min_length=1, max_length=36, description="被约谈/问责的单位 / the unit")
    issue_ids: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="所涉事项（须为该单位主办或协办的事项）/ the issues it concerned, each the unit's",
    )
    campaign_id: str | None = Field(
        default=None, max_length=36, description="专项行动；未列事项时必填 / the campaign, required without issues"
    )
    kind: Kind = Field(description="方式：约谈、通报批评、诫勉谈话、责令书面检查、问责、其他 / what was decided")
    decided_on: date = Field(description="决定日期 / the day it was decided (not in the future)")
    outcome: str = Field(min_length=1, max_length=2000, description="处理结果 / what was decided and required")
    document: str | None = Field(
        default=None, max_length=200, description="文件文号或名称 / the decision document's number or title"
    )


class DocumentFile(BaseModel):
    name: str = Field(description="文件名 / the file's name")
    size: int
    content_type: str


class RecordOut(BaseModel):
    id: str
    campaign_id: str
    unit_id: str
    unit_name: str = Field(description="单位名称 / the unit's name")
    issue_ids: list[str]
    issue_codes: list[str] = Field(description="所涉事项编号，与 issue_ids 同序 / the issues' codes, in order")
    kind: Kind
    decided_on: date
    outcome: str
    document: str | None
    document_file: DocumentFile | None = Field(
        default=None, description="上传的决定文书 / the decision document, when uploaded"
    )
    created_by: str
    created_at: datetime
