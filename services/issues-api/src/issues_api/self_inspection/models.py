"""The office's review of a unit's self-inspection item: waiting, sent back (with the reason) or confirmed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from issues_api.db import Base
from rectify_kit.db import UTCDateTime


class SelfInspectionReview(Base):
    __tablename__ = "self_inspection_reviews"

    issue_id: Mapped[str] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    # pending (waits for the office) | sent_back (the unit revises it) | confirmed (assigned to the unit)
    status: Mapped[str] = mapped_column(String(12), index=True)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    filed_by: Mapped[str] = mapped_column(String(300))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(300), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
