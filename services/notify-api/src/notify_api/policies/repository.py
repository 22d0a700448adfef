"""Queries of escalation policies."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.policies.models import CampaignPolicyFile, EscalationPolicyRow


async def get(session: AsyncSession, campaign_id: str) -> EscalationPolicyRow | None:
    return await session.get(EscalationPolicyRow, campaign_id)


async def all_rows(session: AsyncSession) -> list[EscalationPolicyRow]:
    return list((await session.execute(select(EscalationPolicyRow))).scalars())


async def delete(session: AsyncSession, row: EscalationPolicyRow) -> None:
    await session.delete(row)
    await session.flush()


async def get_file(session: AsyncSession, campaign_id: str) -> CampaignPolicyFile | None:
    return await session.get(CampaignPolicyFile, campaign_id)
