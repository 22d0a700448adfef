"""Which campaign an uploaded ledger belongs to: the one the request names, else the one the file names (the
template's keywords, or a 专项行动 column), else the only campaign running today."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.campaigns.models import Campaign
from issues_api.imports.errors import CampaignRequired
from issues_api.imports.sheet import Sheet
from issues_api.ledger.errors import invalid_reference
from rectify_kit.field_messages import field_error


async def _named(session: AsyncSession, name: str) -> Campaign:
    query = select(Campaign).where(or_(Campaign.id == name, Campaign.code == name, Campaign.name == name))
    found = (await session.execute(query)).scalars().all()
    if len(found) != 1:
        raise invalid_reference("campaign", f"no single campaign is named {name}")
    return found[0]


async def choose_campaign(session: AsyncSession, *, campaign_id: str | None, sheet: Sheet, today: date) -> Campaign:
    if campaign_id:
        campaign = await session.get(Campaign, campaign_id)
        if campaign is None:
            raise invalid_reference("campaign_id", "no such campaign")
        return campaign
    named = {r.values["campaign"] for r in sheet.rows if r.values.get("campaign")}
    if sheet.campaign:
        named.add(sheet.campaign)
    if len(named) > 1:
        raise CampaignRequired(
            "the file names more than one campaign",
            errors=[field_error("campaign", "文件中出现了多个专项行动", "the file names more than one campaign")],
        )
    if named:
        return await _named(session, named.pop())
    query = select(Campaign).where(Campaign.starts_on <= today, Campaign.ends_on >= today)
    running = (await session.execute(query)).scalars().all()
    if len(running) == 1:
        return running[0]
    raise CampaignRequired(
        f"{len(running)} campaigns are running today: name one with campaign_id",
        errors=[field_error("campaign_id", "请选择专项行动", "choose the campaign")],
        candidates=[{"id": c.id, "code": c.code, "name": c.name} for c in running],
    )
