"""Imports every table of report-api, so that Alembic and tests see the whole metadata."""

from __future__ import annotations

from report_api.db import metadata
from report_api.meetings.models import Meeting
from report_api.readmodel.models import (
    CampaignName,
    CategoryName,
    DailyRollup,
    Escalation,
    IssueFact,
    IssueUnit,
    StatusRollup,
    UnitName,
    feed_cursors,
)

__all__ = [
    "CampaignName",
    "CategoryName",
    "DailyRollup",
    "Escalation",
    "IssueFact",
    "IssueUnit",
    "Meeting",
    "StatusRollup",
    "UnitName",
    "feed_cursors",
    "metadata",
]
