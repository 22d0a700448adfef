"""Escalation policies, one per campaign (the default applies where none is stored), and the policy each
campaign's definition file last carried."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from notify_api.db import Base
from rectify_kit.db import JSONType, UTCDateTime


class EscalationPolicyRow(Base):
    """`source`: `admin` (PUT /api/v1/escalation-policies/{campaign_id}) or `file` (the campaign file's steps)."""

    __tablename__ = "escalation_policies"

    campaign_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSONType)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(10), default="admin", server_default="admin")


class CampaignPolicyFile(Base):
    """What the campaign's `campaign.*` events last said about its policy: only a change of it acts, so an
    admin's policy outlives updates of the campaign that leave the file's policy as it was."""

    __tablename__ = "campaign_policy_files"

    campaign_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    policy: Mapped[str] = mapped_column(String(80))
    digest: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
