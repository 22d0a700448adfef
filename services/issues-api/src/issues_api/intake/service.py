"""Rules of the public intake: submit, follow and rate by tracking code; triage by the office.

Events (`intake.submitted|accepted|merged|rejected|replied`) carry the submission without any personal data:
no content, no enterprise, no contact. A rating goes to the linked issue (`issue.feedback_received`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.events.service import PUBLIC_ACTOR, record_event
from issues_api.intake import repository, tracking
from issues_api.intake.errors import AlreadyDecided, FeedbackNotOpen, SubmissionNotFound
from issues_api.intake.models import Submission
from issues_api.intake.schemas import AcceptBody, FeedbackCreate, MergeBody, RejectBody, SubmissionCreate
from issues_api.ledger import repository as ledger_repository
from issues_api.ledger import service as ledger_service
from issues_api.ledger.models import Issue
from issues_api.ledger.schemas import IssueCreate
from rectify_kit.clock import Clock
from rectify_kit.errors import Unprocessable
from rectify_kit.pagination import decode_cursor, encode_cursor


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
    }


async def _record(
    session: AsyncSession, submission: Submission, *, type: str, actor: dict[str, Any], clock: Clock
) -> None:
    await record_event(
        session,
        type=type,
        subject_id=submission.id,
        actor=actor,
        data={"intake": intake_state(submission)},
        clock=clock,
    )


def _invalid(field: str, message: str) -> Unprocessable:
    return Unprocessable(f"{field}: {message}", errors=[{"field": field, "message": message}])


async def submit(session: AsyncSession, *, data: SubmissionCreate, clock: Clock) -> tuple[Submission, str]:
    """Store a public submission; returns it with its tracking code (shown once); writes `intake.submitted`."""
    if data.category_id is not None and await repository.category_campaign_id(session, data.category_id) is None:
        raise _invalid("category_id", "unknown category / 分类不存在")
    code = tracking.new_code()
    while await repository.hash_taken(session, tracking.code_hash(code.replace("-", ""))):
        code = tracking.new_code()  # 80 random bits: a repeat is astronomically rare, but never shared
    submission = Submission(
        tracking_hash=tracking.code_hash(code.replace("-", "")),
        code_hint=code[-tracking.GROUP_SIZE :],
        status="submitted",
        submitted_at=clock.now(),
        **data.model_dump(),
    )
    session.add(submission)
    await session.flush()
    await _record(session, submission, type="intake.submitted", actor=PUBLIC_ACTOR, clock=clock)
    return submission, code


async def find_by_code(session: AsyncSession, code: str) -> Submission:
    normalized = tracking.normalize(code)
    submission = await repository.get_by_hash(session, tracking.code_hash(normalized)) if normalized else None
    if submission is None:
        raise SubmissionNotFound()
    return submission


async def linked_issue(session: AsyncSession, submission: Submission) -> Issue | None:
    return await ledger_repository.get_issue(session, submission.issue_id) if submission.issue_id else None


def feedback_open(submission: Submission, issue: Issue | None) -> bool:
    """Rating is open once the linked issue is closed, once per closure (a reopened, re-closed one again)."""
    if issue is None or issue.status != "closed" or issue.closed_at is None:
        return False
    return submission.feedback_at is None or submission.feedback_at < issue.closed_at


async def give_feedback(
    session: AsyncSession, *, submission: Submission, data: FeedbackCreate, clock: Clock
) -> Submission:
    """Record the submitter's rating after closure (409 before, and once per closure) on the submission and
    on the issue, through the ledger (`issue.feedback_received`). "Not satisfied" lets the office reopen.
    """
    issue = await linked_issue(session, submission)
    if issue is None or not feedback_open(submission, issue):
        raise FeedbackNotOpen("the matter is not closed, or was already rated since it closed")
    submission.satisfied, submission.rating = data.satisfied, data.rating
    submission.feedback_comment, submission.feedback_at = data.comment, clock.now()
    await session.flush()
    await ledger_service.record_feedback(
        session, issue_id=issue.id, satisfied=data.satisfied, rating=data.rating, actor=PUBLIC_ACTOR, clock=clock
    )
    return submission


async def list_submissions(
    session: AsyncSession, *, status: str | None, cursor: str | None, limit: int
) -> tuple[list[Submission], str | None, int]:
    after = None
    if cursor:
        at, last_id = decode_cursor(cursor, length=2)
        after = (datetime.fromisoformat(str(at)), str(last_id))
    items, total = await repository.list_page(session, status=status, after=after, limit=limit)
    next_cursor = None
    if len(items) == limit:
        next_cursor = encode_cursor([items[-1].submitted_at.isoformat(), items[-1].id])
    return list(items), next_cursor, total


async def _undecided(session: AsyncSession, submission_id: str) -> Submission:
    submission = await repository.get(session, submission_id)
    if submission is None:
        raise SubmissionNotFound()
    if submission.status != "submitted":
        raise AlreadyDecided(f"already {submission.status}", current_status=submission.status)
    return submission


def _decide(submission: Submission, *, status: str, actor: dict[str, Any], clock: Clock) -> None:
    submission.status, submission.decided_at, submission.decided_by = status, clock.now(), actor.get("id")


async def _campaign_for(session: AsyncSession, *, submission: Submission, data: AcceptBody) -> str:
    category_id = data.category_id or submission.category_id
    campaign_id = data.campaign_id
    if campaign_id is None and category_id is not None:
        campaign_id = await repository.category_campaign_id(session, category_id)
    campaign_id = campaign_id or await repository.latest_campaign_id(session)
    if campaign_id is None:
        raise _invalid("campaign_id", "no campaign to accept into / 尚无专项行动")
    return campaign_id


async def accept(
    session: AsyncSession, *, submission_id: str, data: AcceptBody, actor: dict[str, Any], clock: Clock
) -> Submission:
    """Register the submission as a ledger issue (source `public`) and link it; writes `intake.accepted`."""
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
        actor=actor,
        clock=clock,
    )
    _decide(submission, status="accepted", actor=actor, clock=clock)
    submission.issue_id = issue.id
    submission.public_reply = data.public_reply or submission.public_reply
    await session.flush()
    await _record(session, submission, type="intake.accepted", actor=actor, clock=clock)
    return submission


async def merge(
    session: AsyncSession, *, submission_id: str, data: MergeBody, actor: dict[str, Any], clock: Clock
) -> Submission:
    """Link a duplicate submission to an existing issue; writes `intake.merged`."""
    submission = await _undecided(session, submission_id)
    if await ledger_repository.get_issue(session, data.issue_id) is None:
        raise _invalid("issue_id", "no such issue / 问题不存在")
    _decide(submission, status="merged", actor=actor, clock=clock)
    submission.issue_id = data.issue_id
    submission.public_reply = data.public_reply or submission.public_reply
    await session.flush()
    await _record(session, submission, type="intake.merged", actor=actor, clock=clock)
    return submission


async def reject(
    session: AsyncSession, *, submission_id: str, data: RejectBody, actor: dict[str, Any], clock: Clock
) -> Submission:
    """Decline the submission with a reason the submitter will read; writes `intake.rejected`."""
    submission = await _undecided(session, submission_id)
    _decide(submission, status="rejected", actor=actor, clock=clock)
    submission.public_reply = data.reason
    await session.flush()
    await _record(session, submission, type="intake.rejected", actor=actor, clock=clock)
    return submission


async def reply(
    session: AsyncSession, *, submission_id: str, text: str, actor: dict[str, Any], clock: Clock
) -> Submission:
    """Set the public reply the submitter reads (e.g. the outcome once closed); writes `intake.replied`."""
    submission = await repository.get(session, submission_id)
    if submission is None:
        raise SubmissionNotFound()
    submission.public_reply = text
    await session.flush()
    await _record(session, submission, type="intake.replied", actor=actor, clock=clock)
    return submission
