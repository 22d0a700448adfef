"""The responsible person of each unit of an item, and the sub-tasks a unit splits its part into."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from issues_api.db import Base
from rectify_kit.db import UTCDateTime


def new_id() -> str:
    return str(uuid.uuid4())


class IssueAssignee(Base):
    """责任人: the person a unit (the lead unit or a co-unit) names for its part of an item; one per unit."""

    __tablename__ = "issue_assignees"

    issue_id: Mapped[str] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    named_by: Mapped[str] = mapped_column(String(300))
    named_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Subtask(Base):
    """子任务: a piece of a unit's part of an item, for one of its people, due no later than the item."""

    __tablename__ = "issue_subtasks"
    __table_args__ = (
        # "Mine": the open sub-tasks a person holds.
        Index("ix_issue_subtasks_assignee_done", "assignee_id", "done"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    issue_id: Mapped[str] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    title: Mapped[str] = mapped_column(String(300))
    assignee_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    deadline: Mapped[date] = mapped_column(Date)
    percent: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_by: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
