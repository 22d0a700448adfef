"""The campaign that issues-api's tests file their issues and submissions under, written straight to the
database (no campaign file to import)."""

from __future__ import annotations

from datetime import date, datetime

from issues_api.campaigns.models import Campaign
from rectify_kit.db import Database


def campaign_row(now: datetime) -> Campaign:
    """YS 优化营商环境, the whole of 2026."""
    return Campaign(
        code="YS",
        name="优化营商环境",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        created_at=now,
        updated_at=now,
    )


async def seed_campaign(database: Database, now: datetime) -> str:
    """Write the campaign; its id."""
    async with database.session() as session:
        campaign = campaign_row(now)
        session.add(campaign)
        await session.flush()
        return campaign.id
