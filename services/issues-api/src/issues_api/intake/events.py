"""The events of the intake (`intake.*`, docs/events.md): what became of a submission, and who to tell.

`data.intake` is public (no content, no enterprise, no contact); `data.submitter` holds the contacts and the
consent to be told, for notify-api: the feed removes it for readers without `contacts:read`
(`events/redaction.py`). The tracking code is there only in `intake.submitted`: afterwards it exists nowhere
but with the submitter (only its hash is kept).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.events.service import record_event
from issues_api.intake.models import Submission
from rectify_kit.clock import Clock


def intake_state(submission: Submission) -> dict[str, Any]:
    """The `Intake` of events: what became of a submission, nothing about who sent it."""
    return {
        "id": submission.id,
        "status": submission.status,
        "title": submission.title,
        "category_id": submission.category_id,
        "city": submission.city,
        "issue_id": submission.issue_id,
        "public_reply": submission.public_reply,
        "submitted_at": submission.submitted_at.isoformat(),
        "decided_at": submission.decided_at.isoformat() if submission.decided_at else None,
        "satisfied": submission.satisfied,
        "rating": submission.rating,
        "followup": submission.followup,
        "appealed_at": submission.appealed_at.isoformat() if submission.appealed_at else None,
    }


def submitter_block(submission: Submission, *, tracking_code: str | None) -> dict[str, Any]:
    return {
        "contact_phone": submission.contact_phone,
        "contact_email": submission.contact_email,
        "notify_by": submission.notify_by,
        "tracking_code": tracking_code,
    }


async def record(
    session: AsyncSession,
    submission: Submission,
    *,
    type: str,
    actor: dict[str, Any],
    clock: Clock,
    tracking_code: str | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Append one `intake.*` event for `submission` in the caller's transaction."""
    data = {
        "intake": intake_state(submission),
        "submitter": submitter_block(submission, tracking_code=tracking_code),
        **(extra or {}),
    }
    await record_event(session, type=type, subject_id=submission.id, actor=actor, data=data, clock=clock)
