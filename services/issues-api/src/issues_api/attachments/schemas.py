"""Bodies of the attachments API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Step = Literal["progress", "completion", "other"]


class AttachmentOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968",
                    "issue_id": "0b5f0c8e-5a0a-4c1f-9f1e-3a4c2b1d0e9f",
                    "name": "整改佐证材料.pdf",
                    "filename": "整改佐证材料.pdf",
                    "content_type": "application/pdf",
                    "size": 482133,
                    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                    "step": "completion",
                    "uploaded_by": "5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "uploaded_by_name": "张科长",
                    "uploaded_at": "2026-11-28T03:05:00Z",
                    "created_at": "2026-11-28T03:05:00Z",
                }
            ]
        }
    )

    id: str
    issue_id: str
    name: str = Field(description="文件名（原名）/ the file's original name")
    filename: str = Field(description="同 name（旧字段）/ the same as name (kept for older clients)")
    content_type: str
    size: int
    sha256: str
    step: Step = Field(
        description="佐证的环节：progress 报告进展、completion 整改完成、other 其他 / the step it proves"
    )
    uploaded_by: str = Field(description="上传人账号 ID / who uploaded it")
    uploaded_by_name: str | None = Field(description="上传人姓名 / the uploader's name")
    uploaded_at: datetime
    created_at: datetime = Field(description="同 uploaded_at（旧字段）/ the same as uploaded_at")
