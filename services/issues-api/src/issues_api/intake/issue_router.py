"""Public replies on an issue (公开答复) and the preview of what its submitters see (/api/v1/issues/{id}/...)."""

from __future__ import annotations

from fastapi import APIRouter, status

from issues_api.intake import replies, repository
from issues_api.intake.errors import NoPublicSubmission
from issues_api.intake.public import public_view
from issues_api.intake.schemas import PublicReplyBody, PublicSubmission, ReplyOut
from issues_api.ledger.deps import ViewerDep
from issues_api.ledger.service import get_visible_issue
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import problem_responses

router = APIRouter(prefix="/api/v1/issues/{issue_id}", tags=["intake"])


@router.get(
    "/public-replies",
    summary="问题的公开答复 / The issue's public replies",
    responses=problem_responses(401, 403, 404),
)
async def list_public_replies(session: SessionDep, viewer: ViewerDep, issue_id: str) -> list[ReplyOut]:
    return [replies.reply_out(r) for r in await replies.issue_replies(session, issue_id=issue_id, viewer=viewer)]


@router.post(
    "/public-replies",
    status_code=status.HTTP_201_CREATED,
    summary="公开答复（关联诉求的提交人均可见）/ Reply publicly: every linked submitter reads it",
    responses=problem_responses(401, 403, 404, 422),
)
async def add_public_reply(
    session: SessionDep, viewer: ViewerDep, clock: ClockDep, issue_id: str, body: PublicReplyBody
) -> ReplyOut:
    reply = await replies.reply_on_issue(session, issue_id=issue_id, content=body.content, viewer=viewer, clock=clock)
    return replies.reply_out(reply)


@router.get(
    "/public-view",
    summary="提交人看到的页面（预览）/ What the issue's submitters see (preview of the earliest one)",
    responses=problem_responses(401, 403, 404),
)
async def issue_public_view(session: SessionDep, viewer: ViewerDep, issue_id: str) -> PublicSubmission:
    await get_visible_issue(session, issue_id, viewer)
    submission = await repository.first_linked(session, issue_id)
    if submission is None:
        raise NoPublicSubmission("no public submission is linked to this issue")
    return await public_view(session, submission=submission, tracking_code=f"····-····-····-{submission.code_hint}")
