"""Fired escalation steps, the yearly numbering of notices, and notify-api's own outbox."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from notify_api.db import Base, metadata
from rectify_kit.db import UTCDateTime
from rectify_kit.outbox import make_event_table

events = make_event_table(metadata)


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
