"""notify-api's own copy of each issue's state, as carried by the issues feed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from notify_api.db import Base
from rectify_kit.db import JSONType, UTCDateTime


class IssueState(Base):
    """The fields the timers and messages need; `deadline_version` moves on every new deadline and reopen."""

    __tablename__ = "issues"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), default="")
    campaign_id: Mapped[str] = mapped_column(String(36), index=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(20), index=True)
    lead_unit_id: Mapped[str | None] = mapped_column(String(36))
    co_unit_ids: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    deadline: Mapped[date | None] = mapped_column(Date)
    deadline_version: Mapped[int] = mapped_column(Integer, default=0)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when the calendar or the policy changed: the scheduler re-plans these issues in batches.
    needs_replan: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
