"""The satisfaction loop (满意度回访): the submitter rates a closed matter; "not satisfied" (rating 1-2) lands in
the office's queue 不满意待处理, where the office reopens the issue or answers why not; the submitter may then
appeal once, which puts it back in the queue.

Events: `issue.feedback_received` (through the ledger), `intake.dissatisfied` (entered the queue),
`intake.followed_up` (`data.followup.action`: reopen | answer), `intake.appealed`.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.events.service import PUBLIC_ACTOR
from issues_api.intake import events
from issues_api.intake.errors import AppealNotOpen, FeedbackNotOpen, NotInFollowupQueue
from issues_api.intake.models import Submission
from issues_api.intake.schemas import AppealBody, FeedbackCreate, FollowupBody
from issues_api.intake.service import add_reply, get, linked_issue
from issues_api.ledger import service as ledger_service
from issues_api.ledger import steps
from issues_api.ledger.access import Viewer
from issues_api.ledger.models import Issue
from issues_api.ledger.schemas import ReasonBody
from rectify_kit.clock import Clock

NOT_SATISFIED_UP_TO = 2


def feedback_open(submission: Submission, issue: Issue | None) -> bool:
    """Rating is open once the linked issue is closed, once per closure (a reopened, re-closed one again)."""
    if issue is None or issue.status != "closed" or issue.closed_at is None:
        return False
    return submission.feedback_at is None or submission.feedback_at < issue.closed_at


def is_dissatisfied(data: FeedbackCreate) -> bool:
    return not data.satisfied or data.rating <= NOT_SATISFIED_UP_TO


def can_appeal(submission: Submission) -> bool:
    """Once, after the office answered a "not satisfied" without reopening."""
    return submission.followup == "answered" and submission.appealed_at is None


async def give_feedback(
    session: AsyncSession, *, submission: Submission, data: FeedbackCreate, clock: Clock
) -> Submission:
    """Record the submitter's rating after closure (409 before, and once per closure) on the submission and
    on the issue (`issue.feedback_received`); a "not satisfied" also enters 不满意待处理 (`intake.dissatisfied`).
    """
    issue = await linked_issue(session, submission)
    if issue is None or not feedback_open(submission, issue):
        raise FeedbackNotOpen("the matter is not closed, or was already rated since it closed")
    submission.satisfied, submission.rating = data.satisfied, data.rating
    submission.feedback_comment, submission.feedback_at = data.comment, clock.now()
    dissatisfied = is_dissatisfied(data)
    if dissatisfied:
        submission.followup, submission.followup_at = "pending", submission.feedback_at
    await session.flush()
    await ledger_service.record_feedback(
        session, issue_id=issue.id, satisfied=data.satisfied, rating=data.rating, actor=PUBLIC_ACTOR, clock=clock
    )
    if dissatisfied:
        await events.record(session, submission, type="intake.dissatisfied", actor=PUBLIC_ACTOR, clock=clock)
    return submission


async def appeal(session: AsyncSession, *, submission: Submission, data: AppealBody, clock: Clock) -> Submission:
    """The one appeal against the office's answer: back into 不满意待处理; writes `intake.appealed`."""
    if not can_appeal(submission):
        raise AppealNotOpen("an appeal is possible once, after the office answered a 'not satisfied'")
    submission.appealed_at, submission.appeal_reason = clock.now(), data.reason
    submission.followup, submission.followup_at = "pending", clock.now()
    await session.flush()
    await events.record(session, submission, type="intake.appealed", actor=PUBLIC_ACTOR, clock=clock)
    return submission


async def follow_up(
    session: AsyncSession, *, submission_id: str, data: FollowupBody, viewer: Viewer, clock: Clock
) -> Submission:
    """The office settles a queued "not satisfied": reopen the issue (`issue.reopened`, the reason internal)
    or answer publicly why not; writes `intake.followed_up`."""
    submission = await get(session, submission_id)
    if submission.followup != "pending" or submission.issue_id is None:
        raise NotInFollowupQueue("this submission is not waiting in 不满意待处理", followup=submission.followup)
    if data.action == "reopen":
        await steps.reopen(
            session, issue_id=submission.issue_id, body=ReasonBody(reason=data.reason), viewer=viewer, clock=clock
        )
        submission.followup = "reopened"
    else:
        add_reply(session, content=data.reason, actor=viewer.actor, clock=clock, submission=submission)
        submission.followup = "answered"
    await session.flush()
    await events.record(
        session,
        submission,
        type="intake.followed_up",
        actor=viewer.actor,
        clock=clock,
        extra={"followup": {"action": data.action}},
    )
    return submission
