"""Shapes an issue for the caller: its fields plus the steps the caller may take now."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.ledger import service
from issues_api.ledger.access import Viewer
from issues_api.ledger.models import Issue
from issues_api.ledger.schemas import IssueDetail
from issues_api.ledger.state import issue_out
from rectify_kit.clock import Clock, business_today


async def detail(session: AsyncSession, *, issue: Issue, viewer: Viewer, clock: Clock) -> IssueDetail:
    actions = await service.actions_for(session, issue=issue, viewer=viewer)
    out = issue_out(issue, today=business_today(clock))
    return IssueDetail(**out.model_dump(), allowed_actions=actions)
