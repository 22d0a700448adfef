"""Timers: one row per planned step of an issue; the dedupe key makes each firing happen once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from notify_api.db import Base
from rectify_kit.db import JSONType, UTCDateTime


class Timer(Base):
    """`status`: pending → fired, or skipped (a backfilled deadline fires only its highest step)."""

    __tablename__ = "timers"
    __table_args__ = (Index("ix_timers_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    issue_id: Mapped[str] = mapped_column(String(36), index=True)
    step: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(60))
    level: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(10))
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    recipients: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    channels: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
