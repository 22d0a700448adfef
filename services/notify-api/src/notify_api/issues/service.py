"""Keeping notify-api's copy of each issue as the issues feed carries it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from notify_api.issues.models import AnyIssue, IssueRow


def _date(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


def apply_event(state: IssueRow | None, *, event_type: str, seq: int, data: dict[str, Any]) -> IssueRow | None:
    """The issue's row (`state`, as stored: None the first time) moved by an `issue.*` event's `issue`, changed
    in place (a new one made the first time); None when the event is older than the state already applied (a
    replay from 0), which changes nothing. A new deadline or a reopening starts a new deadline version, whose
    steps fire anew. The caller writes the row (with the rest of its page, `repository.write_rows`)."""
    raw = data["issue"]
    if state is not None and state.last_seq >= seq:
        return None
    if state is None:
        state = IssueRow(
            id=str(raw["id"]),
            code="",
            campaign_id="",
            title="",
            status="",
            lead_unit_id=None,
            co_unit_ids=[],
            deadline=None,
            deadline_version=0,
            reopen_count=0,
            assigned_at=None,
            accepted_at=None,
            submitted_at=None,
            last_progress_at=None,
            needs_replan=False,
            replan_stamp=0,
            last_seq=0,
        )
    deadline = _date(raw.get("deadline"))
    if deadline != state.deadline or event_type == "issue.reopened":
        state.deadline_version = (state.deadline_version or 0) + 1
    state.deadline = deadline
    state.code, state.title = str(raw.get("code") or ""), str(raw.get("title") or "")
    state.campaign_id = str(raw.get("campaign_id") or "")
    state.status = str(raw.get("status") or state.status or "registered")
    state.lead_unit_id = raw.get("lead_unit_id")
    state.co_unit_ids = [str(u) for u in raw.get("co_unit_ids") or []]
    state.reopen_count = int(raw.get("reopen_count") or 0)
    state.assigned_at, state.accepted_at = _moment(raw.get("assigned_at")), _moment(raw.get("accepted_at"))
    state.submitted_at = _moment(raw.get("submitted_at"))
    state.last_progress_at = _moment(raw.get("last_progress_at"))
    state.last_seq = seq
    return state


def summary(issue: AnyIssue) -> dict[str, object]:
    """What a message says about the issue."""
    return {
        "id": issue.id,
        "code": issue.code,
        "title": issue.title,
        "deadline": issue.deadline.isoformat() if issue.deadline else None,
    }


def units_of(issue: AnyIssue) -> frozenset[str]:
    """The issue's lead and co-units."""
    return frozenset(u for u in (issue.lead_unit_id, *issue.co_unit_ids) if u)
