"""What the submitter of a public complaint is told, when they agreed to it (`notify_by` at submission).

Only the chosen contact is kept, from `intake.submitted` (the only event with the tracking code); an event
whose `submitter` no longer names a channel forgets it. Nothing is sent to anyone who did not agree. The
messages link to the submitter's tracking page, `{NOTIFY_PUBLIC_BASE_URL}/track/{tracking_code}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.directory.models import User
from notify_api.directory.repository import get_unit
from notify_api.issues.models import AnyIssue
from notify_api.notifications.messages import Message
from notify_api.submitters import repository
from notify_api.submitters.models import Submitter
from rectify_kit.workdays import WorkCalendar, add_working_days, at_hour, local_date

# The contact field each channel reads in `data.submitter`.
CONTACT = {"sms": "contact_phone", "email": "contact_email"}
ON_INTAKE = {"intake.accepted": "accepted", "intake.merged": "accepted", "intake.replied": "replied"}
ON_ISSUE = {
    "issue.assigned": "assigned",
    "issue.reassigned": "assigned",
    "issue.closed": "closed",
    "issue.public_replied": "replied",
}


async def on_intake_event(
    session: AsyncSession, *, event_type: str, event_id: str, data: Mapping[str, Any], public_url: str
) -> list[Message]:
    """Keep (or forget) the submitter's consent and contact, follow the issue the submission went into, and
    tell them of its acceptance and of each reply on it."""
    intake = data["intake"]
    row = (
        await _consent(session, intake, data["submitter"])
        if "submitter" in data
        else await repository.get(session, str(intake["id"]))
    )
    if row is None:
        return []
    if intake.get("issue_id"):
        row.issue_id = str(intake["issue_id"])
    if event_type not in ON_INTAKE:
        return []
    context = {"content": intake.get("public_reply") or ""}
    return [_message(row, ON_INTAKE[event_type], key=f"evt:{event_id}", public_url=public_url, **context)]


async def _consent(session: AsyncSession, intake: Mapping[str, Any], submitter: Mapping[str, Any]) -> Submitter | None:
    intake_id = str(intake["id"])
    channel = submitter.get("notify_by")
    address = submitter.get(CONTACT[channel]) if channel in CONTACT else None
    row = await repository.get(session, intake_id)
    if not address:
        if row is not None:
            await repository.forget(session, intake_id)
        return None
    if row is None:
        row = Submitter(intake_id=intake_id, title=str(intake.get("title") or ""), tracking_code="")
        session.add(row)
    row.channel, row.address = str(channel), str(address)
    if submitter.get("tracking_code"):
        row.tracking_code = str(submitter["tracking_code"])
    await session.flush()
    return row


def concerns(event_type: str) -> bool:
    """An `issue.*` event that may tell the issue's submitters something or move their feedback request: the
    others leave them as they are (`on_issue_event` reads nothing for them)."""
    return event_type in ON_ISSUE or event_type == "issue.reopened"


async def on_issue_event(
    session: AsyncSession,
    *,
    issue: AnyIssue,
    event_type: str,
    event_id: str,
    data: Mapping[str, Any],
    calendar: WorkCalendar,
    fire_hour: int,
    now: datetime,
    public_url: str,
) -> list[Message]:
    """Tell the submitters linked to the issue of its assignment, closure and public replies; a closure plans
    the feedback request one working day later, a reopening withdraws one not yet sent."""
    if not concerns(event_type):
        return []  # nothing to tell nor to plan: the submitters are not read
    rows = await repository.of_issue(session, issue.id)
    if not rows:
        return []
    for row in rows:
        if row.feedback_asked_at is None and event_type == "issue.closed":
            row.feedback_due_at = at_hour(add_working_days(local_date(now), 1, calendar), fire_hour)
        elif row.feedback_asked_at is None and event_type == "issue.reopened":
            row.feedback_due_at = None
    if event_type not in ON_ISSUE:
        return []
    unit = await get_unit(session, issue.lead_unit_id) if issue.lead_unit_id else None
    reply = data.get("reply") or {}
    context = {
        "unit": unit.name if unit else "",
        "deadline": issue.deadline.isoformat() if issue.deadline else "",
        "content": reply.get("content") or "",
    }
    return [_message(r, ON_ISSUE[event_type], key=f"evt:{event_id}", public_url=public_url, **context) for r in rows]


async def due_feedback(session: AsyncSession, *, now: datetime, limit: int, public_url: str) -> list[Message]:
    """The feedback requests (回访) due now, each marked sent so that it goes out once."""
    rows = await repository.feedback_due(session, now=now, limit=limit)
    for row in rows:
        row.feedback_asked_at = now
    return [_message(r, "feedback", key=f"feedback:{r.intake_id}", public_url=public_url) for r in rows]


def _message(row: Submitter, moment: str, *, key: str, public_url: str, **context: str) -> Message:
    person = User(
        id=f"submitter:{row.intake_id}",
        username="",
        display_name="",
        role="public",
        unit_id=None,
        email=row.address if row.channel == "email" else None,
        phone=row.address if row.channel == "sms" else None,
        active=True,
        digest_opt_in=False,
        locale="zh-CN",
    )
    link = f"{public_url.rstrip('/')}/track/{row.tracking_code}"
    return Message(
        kind=f"submitter_{moment}",
        key=key,
        recipients=[(person, "submitter")],
        context={"title": row.title, "link": link, "unit": "", "deadline": "", "content": "", **context},
        channels=frozenset({row.channel}),
        event_type=None,
        issue_id=row.issue_id,
        intake_id=row.intake_id,
    )
