"""Shapes an issue for the caller: its fields plus the steps the caller may take now."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.assignees.service import with_people
from issues_api.ledger import service
from issues_api.ledger.access import Viewer, allowed_actions
from issues_api.ledger.models import Issue
from issues_api.ledger.records import IssueRecord
from issues_api.ledger.schemas import IssueDetail
from issues_api.ledger.state import is_overdue, issue_detail, record_state
from rectify_kit.clock import Clock, business_today


async def detail(session: AsyncSession, *, issue: Issue, viewer: Viewer, clock: Clock) -> IssueDetail:
    actions = await service.actions_for(session, issue=issue, viewer=viewer)
    shown = issue_detail(issue, today=business_today(clock), actions=actions)
    return await with_people(session, issue=issue, shown=shown)


def new_issue_detail(issue: Issue | IssueRecord, *, viewer: Viewer, clock: Clock) -> IssueDetail:
    """A just-registered issue: no extension request can be pending, so its steps need no query."""
    actions = allowed_actions(issue, viewer, pending_extension=False)
    if isinstance(issue, Issue):
        return issue_detail(issue, today=business_today(clock), actions=actions)
    state = {**record_state(issue), "overdue": is_overdue(issue, business_today(clock)), "allowed_actions": actions}
    return IssueDetail.model_validate(state)
