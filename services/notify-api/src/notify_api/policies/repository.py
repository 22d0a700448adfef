"""Queries of escalation policies."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.issues.models import IssueState
from notify_api.policies.models import CampaignPolicyFile, EscalationPolicyRow


async def get(session: AsyncSession, campaign_id: str) -> EscalationPolicyRow | None:
    return await session.get(EscalationPolicyRow, campaign_id)


async def all_rows(session: AsyncSession) -> list[EscalationPolicyRow]:
    return list((await session.execute(select(EscalationPolicyRow))).scalars())


async def delete(session: AsyncSession, row: EscalationPolicyRow) -> None:
    await session.delete(row)
    await session.flush()


async def mark_campaign_for_replan(session: AsyncSession, campaign_id: str) -> None:
    await session.execute(update(IssueState).where(IssueState.campaign_id == campaign_id).values(needs_replan=True))


async def get_file(session: AsyncSession, campaign_id: str) -> CampaignPolicyFile | None:
    return await session.get(CampaignPolicyFile, campaign_id)
