"""The office's triage of submissions: accept into the ledger (optionally assigning at once), merge into an
existing issue, reject with a public reason, reply publicly. Each decision writes its `intake.*` event; an
accept writes `issue.created` (and `issue.assigned`) through the ledger in the same transaction.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.intake import events, repository
from issues_api.intake.errors import AlreadyDecided
from issues_api.intake.models import Submission
from issues_api.intake.schemas import AcceptBody, MergeBody, RejectBody
from issues_api.intake.service import add_reply, get, invalid
from issues_api.ledger import lookups as ledger_lookups
from issues_api.ledger import service as ledger_service
from issues_api.ledger import steps
from issues_api.ledger.access import Viewer
from issues_api.ledger.schemas import IssueCreate
from rectify_kit.clock import Clock


async def _undecided(session: AsyncSession, submission_id: str) -> Submission:
    submission = await get(session, submission_id)
    if submission.status != "submitted":
        raise AlreadyDecided(f"already {submission.status}", current_status=submission.status)
    return submission


def _decide(submission: Submission, *, status: str, viewer: Viewer, clock: Clock) -> None:
    submission.status, submission.decided_at, submission.decided_by = status, clock.now(), viewer.sub


async def _campaign_for(session: AsyncSession, *, submission: Submission, data: AcceptBody) -> str:
    category_id = data.category_id or submission.category_id
    campaign_id = data.campaign_id
    if campaign_id is None and category_id is not None:
        campaign_id = await repository.category_campaign_id(session, category_id)
    campaign_id = campaign_id or await repository.latest_campaign_id(session)
    if campaign_id is None:
        raise invalid("campaign_id", "no campaign to accept into / 尚无专项行动")
    return campaign_id


async def accept(
    session: AsyncSession, *, submission_id: str, data: AcceptBody, viewer: Viewer, clock: Clock
) -> Submission:
    """Register the submission as a ledger issue (source `public`), link it, and with `data.assign` hand it to
    its units in the same step; writes `issue.created`, `intake.accepted` and then `issue.assigned`: a consumer
    learns the link from `intake.accepted`, so the assignment must come after it (notify-api tells the submitter
    of it only when it knows the issue is theirs)."""
    submission = await _undecided(session, submission_id)
    campaign_id = await _campaign_for(session, submission=submission, data=data)
    issue = await ledger_service.create_issue(
        session,
        data=IssueCreate(
            campaign_id=campaign_id,
            title=data.title or submission.title,
            description=submission.content,
            kind="problem",
            source="public",
            category_id=data.category_id or submission.category_id,
            city=submission.city,
        ),
        actor=viewer.actor,
        clock=clock,
    )
    _decide(submission, status="accepted", viewer=viewer, clock=clock)
    submission.issue_id = issue.id
    if data.public_reply:
        add_reply(session, content=data.public_reply, actor=viewer.actor, clock=clock, submission=submission)
    await session.flush()
    await events.record(session, submission, type="intake.accepted", actor=viewer.actor, clock=clock)
    if data.assign is not None:
        await steps.assign(session, issue_id=issue.id, body=data.assign, viewer=viewer, clock=clock)
    return submission


async def merge(
    session: AsyncSession, *, submission_id: str, data: MergeBody, viewer: Viewer, clock: Clock
) -> Submission:
    """Link a duplicate submission to an existing issue; writes `intake.merged`."""
    submission = await _undecided(session, submission_id)
    if await ledger_lookups.get_issue(session, data.issue_id) is None:
        raise invalid("issue_id", "no such issue / 问题不存在")
    _decide(submission, status="merged", viewer=viewer, clock=clock)
    submission.issue_id = data.issue_id
    if data.public_reply:
        add_reply(session, content=data.public_reply, actor=viewer.actor, clock=clock, submission=submission)
    await session.flush()
    await events.record(session, submission, type="intake.merged", actor=viewer.actor, clock=clock)
    return submission


async def reject(
    session: AsyncSession, *, submission_id: str, data: RejectBody, viewer: Viewer, clock: Clock
) -> Submission:
    """Decline the submission with a reason the submitter will read; writes `intake.rejected`."""
    submission = await _undecided(session, submission_id)
    _decide(submission, status="rejected", viewer=viewer, clock=clock)
    add_reply(session, content=data.reason, actor=viewer.actor, clock=clock, submission=submission)
    await session.flush()
    await events.record(session, submission, type="intake.rejected", actor=viewer.actor, clock=clock)
    return submission


async def reply(session: AsyncSession, *, submission_id: str, text: str, viewer: Viewer, clock: Clock) -> Submission:
    """Add a public reply the submitter reads (every reply is kept); writes `intake.replied`."""
    submission = await get(session, submission_id)
    add_reply(session, content=text, actor=viewer.actor, clock=clock, submission=submission)
    await session.flush()
    await events.record(session, submission, type="intake.replied", actor=viewer.actor, clock=clock)
    return submission
