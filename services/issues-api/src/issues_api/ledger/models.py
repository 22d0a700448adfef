"""The ledger item (整改事项) and what hangs off it: co-units, deadline history, extensions, progress."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from issues_api.db import Base
from rectify_kit.db import UTCDateTime


def new_id() -> str:
    return str(uuid.uuid4())


class Issue(Base):
    __tablename__ = "issues"
    __table_args__ = (
        # The list's filters, then its default order (created_at, id) for keyset pages (migration l0003).
        Index("ix_issues_campaign_status_created", "campaign_id", "status", "created_at", "id"),
        Index("ix_issues_lead_status_created", "lead_unit_id", "status", "created_at", "id"),
        Index("ix_issues_status_created", "status", "created_at", "id"),
        Index("ix_issues_status_deadline", "status", "deadline"),
        Index("ix_issues_created_at_id", "created_at", "id"),
        # A row imported from a ledger file is known by its identity within the campaign: a second upload of
        # the same row finds it and creates nothing (ledger/import_service.py).
        Index("ux_issues_campaign_import_key", "campaign_id", "import_key", unique=True),
        # Substring search (q) on PostgreSQL: trigram GIN indexes serve ILIKE '%…%'.
        Index(
            "ix_issues_title_trgm",
            "title",
            postgresql_using="gin",
            postgresql_ops={"title": "gin_trgm_ops"},
        ),
        Index(
            "ix_issues_description_trgm",
            "description",
            postgresql_using="gin",
            postgresql_ops={"description": "gin_trgm_ops"},
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"))
    category_id: Mapped[str | None] = mapped_column(ForeignKey("campaign_categories.id"), default=None, index=True)
    # The campaign's phase (阶段) the item belongs to; its end is the default deadline.
    phase_id: Mapped[str | None] = mapped_column(ForeignKey("campaign_phases.id"), default=None, index=True)
    import_key: Mapped[str | None] = mapped_column(String(64), default=None)
    kind: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(30), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    cause: Mapped[str | None] = mapped_column(Text, default=None)
    measures: Mapped[str | None] = mapped_column(Text, default=None)
    requirements: Mapped[str | None] = mapped_column(Text, default=None)
    lead_unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), default=None)
    city: Mapped[str | None] = mapped_column(String(20), default=None)
    deadline: Mapped[date | None] = mapped_column(Date, default=None)
    original_deadline: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(20))
    progress_percent: Mapped[int] = mapped_column(Integer, default=0)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    return_count: Mapped[int] = mapped_column(Integer, default=0)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    satisfaction: Mapped[bool | None] = mapped_column(Boolean, default=None)
    rating: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    version: Mapped[int] = mapped_column(Integer, default=1)

    co_units: Mapped[list[CoUnit]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="CoUnit.position"
    )
    deadlines: Mapped[list[DeadlineEntry]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="DeadlineEntry.position"
    )


class CoUnit(Base):
    """A co-unit's (协办单位) own part of an issue: accepted, filed its contribution, or waived by the office."""

    __tablename__ = "issue_co_units"

    issue_id: Mapped[str] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), primary_key=True, index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | accepted | filed | waived
    contribution: Mapped[str | None] = mapped_column(Text, default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)


class DeadlineEntry(Base):
    """One deadline the issue had: the initial one, each approved extension, each change on reassignment."""

    __tablename__ = "issue_deadlines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    issue_id: Mapped[str] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), index=True)
    deadline: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))  # initial | extension | reassign
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    position: Mapped[int] = mapped_column(Integer, default=0)


class Extension(Base):
    """An extension request (延期申请) and the office's decision on it."""

    __tablename__ = "issue_extensions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    issue_id: Mapped[str] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), index=True)
    new_deadline: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | approved | denied
    requested_by: Mapped[str] = mapped_column(String(80))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(80), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    comment: Mapped[str | None] = mapped_column(Text, default=None)


class ProgressReport(Base):
    """A progress report (进展) of the lead unit or a co-unit."""

    __tablename__ = "issue_progress"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    issue_id: Mapped[str] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[str | None] = mapped_column(String(36), default=None)
    content: Mapped[str] = mapped_column(Text)
    percent: Mapped[int] = mapped_column(Integer)
    reported_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
