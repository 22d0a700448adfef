"""A meeting report: the figures frozen at the moment it was made."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from rectify_kit.db import JSONType, UTCDateTime
from report_api.db import Base


class Meeting(Base):
    __tablename__ = "report_meetings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(36))
    period: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str | None] = mapped_column(String(100))
    as_of_seq: Mapped[int] = mapped_column(BigInteger())
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONType)

    __table_args__ = (Index("ix_report_meetings_campaign_created", "campaign_id", "created_at"),)
