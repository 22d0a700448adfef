"""notify-api's own copy of each issue's state, as carried by the issues feed."""

from __future__ import annotations

from dataclasses import dataclass, fields
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
    # Moved on by every setting of the flag: the feed's consumer clears a flag only while the stamp is the one it
    # read, so a change that flags the issue again while a page re-plans it (by the calendar it read before the
    # change) is not lost.
    replan_stamp: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)


@dataclass(slots=True)
class IssueRow:
    """An issue's state as the feed's consumer keeps it while it applies a page: a plain row of `issues` (no ORM
    object), read and written by the page in Core statements (`repository.rows_by_id`, `repository.write_rows`)."""

    id: str
    code: str
    campaign_id: str
    title: str
    status: str
    lead_unit_id: str | None
    co_unit_ids: list[Any]
    deadline: date | None
    deadline_version: int
    reopen_count: int
    assigned_at: datetime | None
    accepted_at: datetime | None
    submitted_at: datetime | None
    last_progress_at: datetime | None
    needs_replan: bool
    replan_stamp: int
    last_seq: int


# The columns of `issues`, in `IssueRow`'s order (held to the table by the suite).
ROW_COLUMNS = tuple(f.name for f in fields(IssueRow))

# What the timers, the messages and the webhook audiences read of an issue: the ORM's or the page's row.
AnyIssue = IssueState | IssueRow
