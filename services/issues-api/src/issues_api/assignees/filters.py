"""我负责的: the ledger list's `mine` filter (items a person is responsible for or holds an open sub-task of)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select

from issues_api.assignees.models import IssueAssignee, Subtask
from issues_api.ledger.models import Issue


def held_by(user_id: str) -> ColumnElement[bool]:
    """The person is a unit's responsible person of the item, or holds a sub-task of it that is not done."""
    responsible = select(IssueAssignee.issue_id).where(IssueAssignee.user_id == user_id)
    open_subtask = select(Subtask.issue_id).where(Subtask.assignee_id == user_id, Subtask.done.is_(False))
    return or_(Issue.id.in_(responsible), Issue.id.in_(open_subtask))
