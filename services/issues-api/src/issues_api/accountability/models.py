"""An accountability record: a decision taken about a unit (约谈, 通报批评, 问责 …), on the issues it concerned."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from issues_api.db import Base
from rectify_kit.db import JSONType, UTCDateTime


class AccountabilityRecord(Base):
    __tablename__ = "accountability_records"
    __table_args__ = (Index("ix_accountability_records_unit_decided", "unit_id", "decided_on"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"), index=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    # The issues it concerned (ids; each one the unit's, as lead or co-unit, in the record's campaign).
    issue_ids: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    kind: Mapped[str] = mapped_column(String(20))
    decided_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(Text)
    # The decision's document as people cite it: its number or title (e.g. 冀科督〔2026〕3号).
    document: Mapped[str | None] = mapped_column(String(200), default=None)
    # The decision document itself, when uploaded: its bytes live in the attachments' file store by sha256.
    file_name: Mapped[str | None] = mapped_column(String(255), default=None)
    file_type: Mapped[str | None] = mapped_column(String(120), default=None)
    file_size: Mapped[int | None] = mapped_column(BigInteger, default=None)
    file_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    created_by: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
