"""The public page of a submission: status, stages in plain words, the responsible unit, the expected date,
a timeline of fixed texts and every public reply. Nothing personal.

Timeline texts are ours, never the content of internal events, so no staff name or internal remark leaks.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.intake import repository
from issues_api.intake.followup import can_appeal, feedback_open
from issues_api.intake.models import Submission
from issues_api.intake.schemas import (
    AppealOut,
    FeedbackOut,
    PublicStatus,
    PublicSubmission,
    ReplyOut,
    TimelineEntry,
)
from issues_api.intake.service import linked_issue
from issues_api.intake.stages import stages
from issues_api.ledger.models import Issue
from issues_api.ledger.workflow import OPEN_STATUSES

_ISSUE_STATUS: dict[str, PublicStatus] = {
    "registered": "accepted",
    "assigned": "accepted",
    "returned": "accepted",
    "in_progress": "processing",
    "pending_review": "processing",
    "closed": "closed",
    "cancelled": "cancelled",
}

_TEXTS: dict[str, tuple[str, str, str]] = {  # step: (status shown, Chinese, English)
    "submitted": ("submitted", "已收到您的诉求", "Your submission was received"),
    "accepted": ("accepted", "已受理，纳入整改台账", "Accepted into the rectification ledger"),
    "merged": ("accepted", "已并入同类问题一并办理", "Merged with a matching case being handled"),
    "rejected": ("rejected", "不予受理，请见答复", "Not accepted; see the reply"),
    "issue.assigned": ("processing", "已交办责任单位办理", "Assigned to the responsible unit"),
    "issue.reassigned": ("processing", "已改派责任单位办理", "Reassigned to another unit"),
    "issue.accepted": ("processing", "责任单位已签收办理", "The responsible unit took it on"),
    "issue.completion_submitted": ("processing", "责任单位已报办结，待审核", "Reported done, under review"),
    "issue.completion_rejected": ("processing", "审核未通过，继续办理", "Review asked for more work"),
    "issue.closed": ("closed", "已办结", "Closed"),
    "issue.reopened": ("processing", "重新办理", "Reopened"),
    "issue.cancelled": ("cancelled", "已撤销", "Cancelled"),
}
_ISSUE_STEPS = [k for k in _TEXTS if k.startswith("issue.")]


def _entry(step: str, at: object) -> TimelineEntry:
    status, zh, en = _TEXTS[step]
    return TimelineEntry.model_validate({"at": at, "status": status, "text": zh, "text_en": en})


def public_status(submission: Submission, issue: Issue | None) -> PublicStatus:
    if submission.status == "rejected":
        return "rejected"
    if issue is None:
        return "submitted" if submission.status == "submitted" else "accepted"
    return _ISSUE_STATUS.get(issue.status, "processing")


async def _timeline(session: AsyncSession, submission: Submission, issue: Issue | None) -> list[TimelineEntry]:
    timeline = [_entry("submitted", submission.submitted_at)]
    if submission.status != "submitted" and submission.decided_at is not None:
        timeline.append(_entry(submission.status, submission.decided_at))
    if issue is not None:
        for row in await repository.issue_milestones(session, issue.id, _ISSUE_STEPS):
            timeline.append(_entry(row.type, row.occurred_at))
    return timeline


async def public_view(session: AsyncSession, *, submission: Submission, tracking_code: str) -> PublicSubmission:
    issue = await linked_issue(session, submission)
    unit = await repository.unit_name(session, issue.lead_unit_id if issue else None)
    replies = await repository.replies_of(session, submission_id=submission.id, issue_id=submission.issue_id)
    feedback = None
    if submission.satisfied is not None and submission.rating is not None:
        feedback = FeedbackOut(
            satisfied=submission.satisfied, rating=submission.rating, comment=submission.feedback_comment
        )
    appeal = None
    if submission.appealed_at is not None:
        appeal = AppealOut(at=submission.appealed_at, reason=submission.appeal_reason or "")
    return PublicSubmission(
        tracking_code=tracking_code,
        status=public_status(submission, issue),
        title=submission.title,
        submitted_at=submission.submitted_at,
        timeline=await _timeline(session, submission, issue),
        public_reply=submission.public_reply,
        can_feedback=feedback_open(submission, issue),
        feedback=feedback,
        stages=stages(submission, issue, unit=unit),
        unit_name=unit,
        # The deadline in force while the work is open: what the submitter may expect.
        expected_date=issue.deadline if issue is not None and issue.status in OPEN_STATUSES else None,
        replies=[
            ReplyOut(id=r.id, at=r.created_at, content=r.content, on="submission" if r.submission_id else "issue")
            for r in replies
        ],
        followup=submission.followup,
        can_appeal=can_appeal(submission),
        appeal=appeal,
    )
