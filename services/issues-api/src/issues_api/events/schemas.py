"""Bodies of the audit API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ChainVerification(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"ok": True, "checked": 18342, "first_bad_seq": None, "anchors_checked": 12}]}
    )

    ok: bool = Field(description="链完整 / the chain and every published head check out")
    checked: int = Field(description="校验的事件数 / events checked")
    first_bad_seq: int | None = Field(description="第一个不一致的序号 / first sequence number that fails")
    anchors_checked: int = Field(description="核对的已发布链头数 / published chain heads matched")
