"""Campaigns (专项行动) with their phases and category tree."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from issues_api.db import Base
from rectify_kit.db import JSONType, UTCDateTime


def new_id() -> str:
    return str(uuid.uuid4())


class Campaign(Base):
    __tablename__ = "campaigns"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # also the prefix of issue codes, e.g. YS
    name: Mapped[str] = mapped_column(String(300))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    escalation_policy: Mapped[str] = mapped_column(String(80), default="default")
    description: Mapped[str | None] = mapped_column(String(4000), default=None)
    next_issue_number: Mapped[int] = mapped_column(Integer, default=1)
    # The definition file it was imported from (as loaded, dates as stored): what the export gives back.
    definition: Mapped[dict[str, Any] | None] = mapped_column(JSONType, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Phase(Base):
    __tablename__ = "campaign_phases"
    __table_args__ = (UniqueConstraint("campaign_id", "code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Category(Base):
    __tablename__ = "campaign_categories"
    __table_args__ = (UniqueConstraint("campaign_id", "code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("campaign_categories.id"), default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)
