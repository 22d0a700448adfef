"""Queries of the meeting snapshots."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from report_api.meetings.models import Meeting


async def latest(session: AsyncSession, campaign_id: str) -> Meeting | None:
    query = select(Meeting).where(Meeting.campaign_id == campaign_id)
    return await session.scalar(query.order_by(Meeting.created_at.desc(), Meeting.id.desc()).limit(1))


async def listing(session: AsyncSession, campaign_id: str | None) -> list[Meeting]:
    query = select(Meeting).order_by(Meeting.created_at.desc(), Meeting.id.desc())
    if campaign_id is not None:
        query = query.where(Meeting.campaign_id == campaign_id)
    return list((await session.scalars(query)).all())


async def get(session: AsyncSession, meeting_id: str) -> Meeting | None:
    return await session.get(Meeting, meeting_id)


async def add(session: AsyncSession, meeting: Meeting) -> None:
    session.add(meeting)
    await session.flush()
