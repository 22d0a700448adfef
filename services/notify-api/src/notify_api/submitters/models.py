"""The submitters who agreed to be told (`notify_by`), with only the contact they chose."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from notify_api.db import Base
from rectify_kit.db import UTCDateTime


class Submitter(Base):
    """One public submission whose submitter asked to be told, by SMS or e-mail (`channel`, `address`)."""

    __tablename__ = "submitters"
    __table_args__ = (Index("ix_submitters_feedback_due_at", "feedback_due_at"),)

    intake_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    issue_id: Mapped[str | None] = mapped_column(String(36), index=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    channel: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(200))
    tracking_code: Mapped[str] = mapped_column(String(64), default="")
    # One working day after the closure, the feedback request (回访) goes out, once.
    feedback_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    feedback_asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
