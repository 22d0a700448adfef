"""Queries of campaigns."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.campaigns.models import Campaign, Category, Phase


async def get(session: AsyncSession, campaign_id: str) -> Campaign | None:
    return await session.get(Campaign, campaign_id)


async def get_by_code(session: AsyncSession, code: str) -> Campaign | None:
    return (await session.execute(select(Campaign).where(Campaign.code == code))).scalar_one_or_none()


async def list_all(session: AsyncSession) -> Sequence[Campaign]:
    query = select(Campaign).order_by(Campaign.starts_on.desc(), Campaign.code)
    return (await session.execute(query)).scalars().all()


async def count(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count()).select_from(Campaign))).scalar_one())


async def phases(session: AsyncSession, campaign_id: str) -> Sequence[Phase]:
    query = select(Phase).where(Phase.campaign_id == campaign_id).order_by(Phase.position)
    return (await session.execute(query)).scalars().all()


async def categories(session: AsyncSession, campaign_id: str) -> Sequence[Category]:
    query = select(Category).where(Category.campaign_id == campaign_id).order_by(Category.position)
    return (await session.execute(query)).scalars().all()
