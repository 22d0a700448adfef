"""Queries of Open311: the services' categories, and public submissions with the issue each became."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from issues_api.campaigns.models import Campaign, Category
from issues_api.directory.models import Unit
from issues_api.intake.models import PublicReply, Submission
from issues_api.ledger.models import Issue

CLOSED_ISSUE = ("closed", "cancelled")


@dataclass(frozen=True)
class RequestRow:
    """A submission with what GeoReport shows of it: its category, the linked issue and the lead unit."""

    submission: Submission
    category: Category | None
    issue: Issue | None
    unit_name: str | None
    last_reply: str | None = None


@dataclass(frozen=True)
class RequestFilters:
    ids: Sequence[str] = ()
    category_ids: Sequence[str] | None = None
    start: datetime | None = None
    end: datetime | None = None
    status: Sequence[str] = ()


async def active_campaign(session: AsyncSession) -> Campaign | None:
    """The campaign whose categories are the services: the one that started last."""
    query = select(Campaign).order_by(Campaign.starts_on.desc(), Campaign.created_at.desc()).limit(1)
    return (await session.execute(query)).scalar_one_or_none()


async def categories(session: AsyncSession, campaign_id: str) -> Sequence[Category]:
    query = select(Category).where(Category.campaign_id == campaign_id).order_by(Category.position, Category.code)
    return (await session.execute(query)).scalars().all()


async def category_by_code(session: AsyncSession, campaign_id: str, code: str) -> Category | None:
    query = select(Category).where(Category.campaign_id == campaign_id, Category.code == code)
    return (await session.execute(query)).scalar_one_or_none()


def _closed() -> ColumnElement[bool]:
    return or_(Submission.status == "rejected", Issue.status.in_(CLOSED_ISSUE))


def _conditions(filters: RequestFilters) -> list[ColumnElement[bool]]:
    if filters.ids:
        return [Submission.id.in_(list(filters.ids))]
    conds: list[ColumnElement[bool]] = []
    if filters.category_ids is not None:
        conds.append(Submission.category_id.in_(list(filters.category_ids)) if filters.category_ids else false())
    if filters.start is not None:
        conds.append(Submission.submitted_at >= filters.start)
    if filters.end is not None:
        conds.append(Submission.submitted_at <= filters.end)
    wanted = set(filters.status)
    if wanted == {"closed"}:
        conds.append(_closed())
    elif wanted == {"open"}:
        conds.append(and_(Submission.status != "rejected", or_(Issue.id.is_(None), ~Issue.status.in_(CLOSED_ISSUE))))
    return conds


async def requests(session: AsyncSession, filters: RequestFilters, *, limit: int) -> list[RequestRow]:
    """Newest first, at most `limit`; `ids` overrides every other filter, as the spec says."""
    lead = aliased(Unit)
    query = (
        select(Submission, Category, Issue, lead.name)
        .outerjoin(Category, Category.id == Submission.category_id)
        .outerjoin(Issue, Issue.id == Submission.issue_id)
        .outerjoin(lead, lead.id == Issue.lead_unit_id)
        .where(*_conditions(filters))
        .order_by(Submission.submitted_at.desc(), Submission.id.desc())
        .limit(limit)
    )
    rows = (await session.execute(query)).all()
    replies = await _last_replies(session, [(s.id, s.issue_id) for s, _, _, _ in rows])
    return [
        RequestRow(submission=s, category=c, issue=i, unit_name=n, last_reply=replies.get(s.id, s.public_reply))
        for s, c, i, n in rows
    ]


async def _last_replies(session: AsyncSession, links: Sequence[tuple[str, str | None]]) -> dict[str, str]:
    """The newest public reply each submitter reads (on the submission or on its issue), in one query."""
    if not links:
        return {}
    submission_ids = [s for s, _ in links]
    issue_ids = [i for _, i in links if i is not None]
    query = (
        select(PublicReply)
        .where(or_(PublicReply.submission_id.in_(submission_ids), PublicReply.issue_id.in_(issue_ids)))
        .order_by(PublicReply.created_at, PublicReply.id)
    )
    newest: dict[str, str] = {}
    by_issue: dict[str, list[str]] = {}
    for submission_id, issue_id in links:
        if issue_id is not None:
            by_issue.setdefault(issue_id, []).append(submission_id)
    for reply in (await session.execute(query)).scalars():
        for submission_id in [reply.submission_id] if reply.submission_id else by_issue.get(reply.issue_id or "", []):
            newest[submission_id] = reply.content
    return newest
