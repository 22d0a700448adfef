"""Queries of the public intake."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.campaigns.models import Campaign, Category
from issues_api.directory.models import Unit
from issues_api.events.models import events
from issues_api.intake.models import PublicReply, Submission
from issues_api.ledger.models import Issue
from issues_api.ledger.workflow import OPEN_STATUSES

SIMILAR_CANDIDATES = 2000


async def get(session: AsyncSession, submission_id: str) -> Submission | None:
    return await session.get(Submission, submission_id)


async def get_by_hash(session: AsyncSession, tracking_hash: str) -> Submission | None:
    query = select(Submission).where(Submission.tracking_hash == tracking_hash)
    return (await session.execute(query)).scalar_one_or_none()


async def hash_taken(session: AsyncSession, tracking_hash: str) -> bool:
    return await get_by_hash(session, tracking_hash) is not None


async def list_page(
    session: AsyncSession,
    *,
    status: str | None,
    followup: str | None = None,
    after: tuple[datetime, str] | None,
    limit: int,
    oldest_first: bool = False,
) -> tuple[Sequence[Submission], int]:
    """Newest first (or oldest first); `after` is the (submitted_at, id) of the last item seen."""
    query = select(Submission)
    count = select(func.count()).select_from(Submission)
    if status is not None:
        query = query.where(Submission.status == status)
        count = count.where(Submission.status == status)
    if followup is not None:
        query = query.where(Submission.followup == followup)
        count = count.where(Submission.followup == followup)
    if after is not None:
        at, last_id = after
        if oldest_first:
            query = query.where(
                (Submission.submitted_at > at) | ((Submission.submitted_at == at) & (Submission.id > last_id))
            )
        else:
            query = query.where(
                (Submission.submitted_at < at) | ((Submission.submitted_at == at) & (Submission.id < last_id))
            )
    if oldest_first:
        query = query.order_by(Submission.submitted_at, Submission.id)
    else:
        query = query.order_by(Submission.submitted_at.desc(), Submission.id.desc())
    query = query.limit(limit)
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


async def first_repeat(
    session: AsyncSession, *, address_hash: str, content_hash: str, since: datetime
) -> Submission | None:
    query = (
        select(Submission)
        .where(
            Submission.address_hash == address_hash,
            Submission.content_hash == content_hash,
            Submission.submitted_at >= since,
        )
        .order_by(Submission.submitted_at, Submission.id)
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def count_from(session: AsyncSession, *, address_hash: str, since: datetime) -> int:
    query = select(func.count()).where(Submission.address_hash == address_hash, Submission.submitted_at >= since)
    return int((await session.execute(query)).scalar_one())


async def replies_of(session: AsyncSession, *, submission_id: str, issue_id: str | None) -> Sequence[PublicReply]:
    """The replies a submitter reads: on their submission and on the issue it became part of, oldest first."""
    condition = PublicReply.submission_id == submission_id
    if issue_id is not None:
        condition = condition | (PublicReply.issue_id == issue_id)
    query = select(PublicReply).where(condition).order_by(PublicReply.created_at, PublicReply.id)
    return (await session.execute(query)).scalars().all()


async def issue_replies(session: AsyncSession, issue_id: str) -> Sequence[PublicReply]:
    query = select(PublicReply).where(PublicReply.issue_id == issue_id).order_by(PublicReply.created_at)
    return (await session.execute(query)).scalars().all()


async def unit_name(session: AsyncSession, unit_id: str | None) -> str | None:
    unit = await session.get(Unit, unit_id) if unit_id else None
    return unit.name if unit else None


async def similar_candidates(session: AsyncSession, *, category_id: str | None) -> Sequence[Any]:
    """Open issues a submission may duplicate (their columns, not the objects): of its category when it has
    one, the most recent first."""
    query = select(
        Issue.id,
        Issue.code,
        Issue.title,
        Issue.description,
        Issue.status,
        Issue.category_id,
        Issue.lead_unit_id,
        Issue.deadline,
    ).where(Issue.status.in_(OPEN_STATUSES))
    if category_id is not None:
        query = query.where(Issue.category_id == category_id)
    query = query.order_by(Issue.created_at.desc()).limit(SIMILAR_CANDIDATES)
    return (await session.execute(query)).all()


async def first_linked(session: AsyncSession, issue_id: str) -> Submission | None:
    """The earliest submission that became part of the issue (whose page the office previews)."""
    query = select(Submission).where(Submission.issue_id == issue_id).order_by(Submission.submitted_at).limit(1)
    return (await session.execute(query)).scalar_one_or_none()
