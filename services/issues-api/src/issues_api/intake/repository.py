"""Queries of the public intake."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.campaigns.models import Campaign, Category
from issues_api.events.models import events
from issues_api.intake.models import Submission


async def get(session: AsyncSession, submission_id: str) -> Submission | None:
    return await session.get(Submission, submission_id)


async def get_by_hash(session: AsyncSession, tracking_hash: str) -> Submission | None:
    query = select(Submission).where(Submission.tracking_hash == tracking_hash)
    return (await session.execute(query)).scalar_one_or_none()


async def hash_taken(session: AsyncSession, tracking_hash: str) -> bool:
    return await get_by_hash(session, tracking_hash) is not None


async def list_page(
    session: AsyncSession, *, status: str | None, after: tuple[datetime, str] | None, limit: int
) -> tuple[Sequence[Submission], int]:
    """Newest first; `after` is the (submitted_at, id) of the last item seen."""
    query = select(Submission)
    count = select(func.count()).select_from(Submission)
    if status is not None:
        query = query.where(Submission.status == status)
        count = count.where(Submission.status == status)
    if after is not None:
        at, last_id = after
        query = query.where(
            (Submission.submitted_at < at) | ((Submission.submitted_at == at) & (Submission.id < last_id))
        )
    query = query.order_by(Submission.submitted_at.desc(), Submission.id.desc()).limit(limit)
    items = (await session.execute(query)).scalars().all()
    return items, int((await session.execute(count)).scalar_one())


async def category_campaign_id(session: AsyncSession, category_id: str) -> str | None:
    category = await session.get(Category, category_id)
    return category.campaign_id if category else None


async def latest_campaign_id(session: AsyncSession) -> str | None:
    query = select(Campaign.id).order_by(Campaign.starts_on.desc(), Campaign.created_at.desc()).limit(1)
    return (await session.execute(query)).scalar_one_or_none()


async def issue_milestones(session: AsyncSession, issue_id: str, types: Sequence[str]) -> Sequence[Any]:
    """(type, occurred_at) of the issue's events of the given types, oldest first; nothing else of them."""
    query = (
        select(events.c.type, events.c.occurred_at)
        .where(events.c.subject_id == issue_id, events.c.type.in_(types))
        .order_by(events.c.seq)
    )
    return (await session.execute(query)).all()
