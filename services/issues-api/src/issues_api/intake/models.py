"""Public submissions (诉求): what a citizen or enterprise sent, and what became of it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from issues_api.db import Base
from rectify_kit.db import UTCDateTime


def new_id() -> str:
    return str(uuid.uuid4())


class Submission(Base):
    __tablename__ = "intake_submissions"
    __table_args__ = (
        # Folding and per-address limits look at one address's last 24 hours.
        Index("ix_intake_submissions_address_submitted", "address_hash", "submitted_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    # Only the sha256 of the tracking code is kept: a leaked table does not give access to the public pages.
    tracking_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_hint: Mapped[str] = mapped_column(String(4))  # the last group, so the office can match a caller's code
    status: Mapped[str] = mapped_column(String(20), index=True)  # submitted | accepted | merged | rejected
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    category_id: Mapped[str | None] = mapped_column(ForeignKey("campaign_categories.id"), default=None)
    city: Mapped[str | None] = mapped_column(String(20), default=None)
    enterprise_name: Mapped[str | None] = mapped_column(String(200), default=None)
    contact_name: Mapped[str | None] = mapped_column(String(100), default=None)
    contact_phone: Mapped[str | None] = mapped_column(String(40), default=None)
    contact_email: Mapped[str | None] = mapped_column(String(200), default=None)
    # The issue it was accepted as or merged into (the ledger's table lives on another migration branch).
    issue_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    public_reply: Mapped[str | None] = mapped_column(Text, default=None)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    decided_by: Mapped[str | None] = mapped_column(String(80), default=None)
    satisfied: Mapped[bool | None] = mapped_column(Boolean, default=None)
    rating: Mapped[int | None] = mapped_column(Integer, default=None)
    feedback_comment: Mapped[str | None] = mapped_column(Text, default=None)
    feedback_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # The submitter agreed to be told of changes on this channel: sms | email | None.
    notify_by: Mapped[str | None] = mapped_column(String(10), default=None)
    # Keyed hashes (never the address itself): who sent what, for folding repeats and per-address limits.
    address_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    content_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    # The tracking code sealed with a key only the same address and text open: a repeat gets the same code.
    sealed_code: Mapped[str | None] = mapped_column(String(32), default=None)
    # Wrong phone-tail guesses in the current window (their own text back): a few a day, then refused.
    reveal_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reveal_window_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # 不满意待处理: pending (in the office's queue) | reopened | answered; None when never dissatisfied.
    followup: Mapped[str | None] = mapped_column(String(20), default=None, index=True)
    followup_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    appealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    appeal_reason: Mapped[str | None] = mapped_column(Text, default=None)


class PublicReply(Base):
    """A public reply (公开答复): on a submission (its submitter reads it) or on an issue (all its submitters do)."""

    __tablename__ = "public_replies"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    submission_id: Mapped[str | None] = mapped_column(
        ForeignKey("intake_submissions.id", ondelete="CASCADE"), default=None, index=True
    )
    issue_id: Mapped[str | None] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), default=None, index=True)
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str | None] = mapped_column(String(80), default=None)
