"""An import job (导入任务): a checked ledger file being written in chunks, its progress kept for the page that
shows the progress bar."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from issues_api.db import Base
from rectify_kit.db import JSONType, UTCDateTime


def new_id() -> str:
    return str(uuid.uuid4())


class ImportJob(Base):
    """`status`: running → done, or failed (`error`); a running job whose process went away stops moving and is
    shown as interrupted (its rows written so far stay, and a new upload of the file skips them)."""

    __tablename__ = "import_jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    total: Mapped[int] = mapped_column(Integer, default=0)  # rows to create
    done: Mapped[int] = mapped_column(Integer, default=0)  # rows created so far
    existing: Mapped[int] = mapped_column(Integer, default=0)  # rows imported before: nothing to do
    created: Mapped[list[str]] = mapped_column(JSONType, default=list)  # codes of the items created
    error: Mapped[str | None] = mapped_column(Text, default=None)
    created_by: Mapped[str] = mapped_column(String(80), index=True)
    actor: Mapped[dict[str, Any]] = mapped_column(JSONType)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
