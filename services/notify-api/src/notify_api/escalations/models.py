"""The escalation ladder's rows: timers (one per planned step of an issue), fired escalations, and the yearly
numbering of notices."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from notify_api.db import Base
from rectify_kit.db import JSONType, UTCDateTime


class Timer(Base):
    """`status`: pending → fired, or skipped (a backfilled deadline fires only its highest step); the dedupe key
    makes each firing happen once."""

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


class Escalation(Base):
    __tablename__ = "escalations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    issue_id: Mapped[str] = mapped_column(String(36), index=True)
    campaign_id: Mapped[str] = mapped_column(String(36))
    unit_id: Mapped[str | None] = mapped_column(String(36), index=True)
    level: Mapped[int] = mapped_column(Integer, index=True)
    step: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(60))
    number: Mapped[str | None] = mapped_column(String(40))
    deadline: Mapped[date | None] = mapped_column(Date)
    fired_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by: Mapped[str | None] = mapped_column(String(36))


class NoticeSequence(Base):
    """The last notice number handed out in a year (督〔2026〕12号 is number 12 of 2026)."""

    __tablename__ = "notice_sequences"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)
