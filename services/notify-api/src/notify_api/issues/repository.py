"""Queries of notify-api's copy of the issues."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.issues.models import IssueState

CLOSED = ("closed", "cancelled")
CHUNK = 500


async def get(session: AsyncSession, issue_id: str) -> IssueState | None:
    return await session.get(IssueState, issue_id)


def flagged() -> ColumnElement[bool]:
    """An issue flagged after a calendar, policy or notice change, to be re-planned."""
    return IssueState.needs_replan.is_(True)


async def to_replan(session: AsyncSession, *, limit: int) -> list[IssueState]:
    """Issues flagged after a calendar, policy or notice change; on PostgreSQL other replicas skip them."""
    query = select(IssueState).where(flagged()).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list((await session.execute(query)).scalars())


async def by_id(session: AsyncSession, ids: set[str]) -> dict[str, IssueState]:
    found: dict[str, IssueState] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), CHUNK):
        query = select(IssueState).where(IssueState.id.in_(ordered[i : i + CHUNK]))
        for row in (await session.execute(query)).scalars():
            found[row.id] = row
    return found


async def mark_open_for_replan(session: AsyncSession) -> None:
    """Every open issue is re-planned by the scheduler's next pass (the calendar changed)."""
    await session.execute(update(IssueState).where(IssueState.status.not_in(CLOSED)).values(needs_replan=True))


async def mark_campaign_for_replan(session: AsyncSession, campaign_id: str) -> None:
    """The campaign's issues are re-planned by the scheduler's next pass (its policy changed)."""
    await session.execute(update(IssueState).where(IssueState.campaign_id == campaign_id).values(needs_replan=True))


async def labels(session: AsyncSession, issue_ids: set[str]) -> dict[str, tuple[str, str]]:
    """The code and title of each issue, for lists that show something next to what it is about."""
    if not issue_ids:
        return {}
    query = select(IssueState.id, IssueState.code, IssueState.title).where(IssueState.id.in_(sorted(issue_ids)))
    return {row.id: (row.code, row.title) for row in await session.execute(query)}
