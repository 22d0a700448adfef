"""The issue's state as events carry it (docs/events.md) and as the API shows it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from issues_api.ledger.models import Issue
from issues_api.ledger.schemas import IssueOut
from issues_api.ledger.workflow import OPEN_STATUSES


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def issue_state(issue: Issue) -> dict[str, Any]:
    """The full state after a change: dates `YYYY-MM-DD`, times ISO 8601 UTC."""
    return {
        "id": issue.id,
        "code": issue.code,
        "campaign_id": issue.campaign_id,
        "category_id": issue.category_id,
        "kind": issue.kind,
        "source": issue.source,
        "title": issue.title,
        "description": issue.description,
        "cause": issue.cause,
        "measures": issue.measures,
        "requirements": issue.requirements,
        "lead_unit_id": issue.lead_unit_id,
        "co_unit_ids": [c.unit_id for c in issue.co_units],
        "co_units": [{"unit_id": c.unit_id, "status": c.status} for c in issue.co_units],
        "city": issue.city,
        "deadline": _iso(issue.deadline),
        "original_deadline": _iso(issue.original_deadline),
        "deadline_history": [{"deadline": _iso(d.deadline), "kind": d.kind, "at": _iso(d.at)} for d in issue.deadlines],
        "status": issue.status,
        "progress_percent": issue.progress_percent,
        "reopen_count": issue.reopen_count,
        "return_count": issue.return_count,
        "flagged": issue.flagged,
        "satisfaction": issue.satisfaction,
        "rating": issue.rating,
        "created_at": _iso(issue.created_at),
        "assigned_at": _iso(issue.assigned_at),
        "accepted_at": _iso(issue.accepted_at),
        "submitted_at": _iso(issue.submitted_at),
        "closed_at": _iso(issue.closed_at),
        "cancelled_at": _iso(issue.cancelled_at),
        "last_progress_at": _iso(issue.last_progress_at),
        "version": issue.version,
    }


def is_overdue(issue: Issue, today: date) -> bool:
    """Open and past its deadline in Asia/Shanghai: a deadline is met by the end of its day."""
    return issue.status in OPEN_STATUSES and issue.deadline is not None and today > issue.deadline


def issue_out(issue: Issue, *, today: date) -> IssueOut:
    return IssueOut.model_validate({**issue_state(issue), "overdue": is_overdue(issue, today)})
