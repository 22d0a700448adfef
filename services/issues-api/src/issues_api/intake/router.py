"""HTTP routes of the office's triage (admin and office): submissions, their contacts (each read audited),
similar open issues, decisions, public replies with a preview, and the queue 不满意待处理."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.auth.dependencies import StaffDep
from issues_api.events.service import actor_of
from issues_api.intake import contacts, followup, service, similar, triage
from issues_api.intake.models import Submission
from issues_api.intake.public import public_view
from issues_api.intake.schemas import (
    AcceptBody,
    ContactOut,
    Followup,
    FollowupBody,
    IntakeOut,
    IntakeStatus,
    MergeBody,
    PublicSubmission,
    RejectBody,
    ReplyBody,
    SimilarIssue,
)
from issues_api.ledger.access import Viewer
from rectify_kit.auth import Principal
from rectify_kit.clock import Clock, ClockDep
from rectify_kit.db import SessionDep, WriteSessionDep
from rectify_kit.errors import problem_responses
from rectify_kit.pagination import Page

office_router = APIRouter(prefix="/intake", tags=["intake"])

ContactsQuery = Annotated[
    bool,
    Query(
        alias="contacts",
        description="附联系方式（每次读取记入审计日志）/ include contacts (each read is written to the audit log)",
    ),
]


@office_router.get(
    "",
    response_model=Page[IntakeOut],
    summary="诉求列表 / Submissions to triage",
    responses=problem_responses(401, 403),
)
async def list_submissions(
    session: WriteSessionDep,
    principal: StaffDep,
    clock: ClockDep,
    status: IntakeStatus | None = None,
    followup: Annotated[Followup | None, Query(description="pending: 不满意待处理 / the follow-up queue")] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    contacts_: ContactsQuery = True,
    sort: Annotated[
        Literal["-submitted_at", "submitted_at"],
        Query(description="排序：-submitted_at 最新在前（默认），submitted_at 等待最久的在前 / newest or oldest first"),
    ] = "-submitted_at",
) -> Page[IntakeOut]:
    items, next_cursor, total = await service.list_submissions(
        session, status=status, followup=followup, cursor=cursor, limit=limit, oldest_first=sort == "submitted_at"
    )
    if contacts_:
        await contacts.record_reads(session, submissions=items, via="list", actor=actor_of(principal), clock=clock)
    return Page(items=[contacts.intake_out(s, contacts=contacts_) for s in items], next_cursor=next_cursor, total=total)


@office_router.get("/{submission_id}", summary="诉求详情 / A submission", responses=problem_responses(401, 403, 404))
async def get_submission(
    session: WriteSessionDep,
    principal: StaffDep,
    clock: ClockDep,
    submission_id: str,
    contacts_: ContactsQuery = True,
) -> IntakeOut:
    submission = await service.get(session, submission_id)
    if contacts_:
        await contacts.record_reads(
            session, submissions=[submission], via="detail", actor=actor_of(principal), clock=clock
        )
    return contacts.intake_out(submission, contacts=contacts_)


@office_router.get(
    "/{submission_id}/contact",
    summary="查看联系方式（记入审计日志）/ The submitter's contacts (the read is audited)",
    responses=problem_responses(401, 403, 404),
)
async def get_contact(session: WriteSessionDep, principal: StaffDep, clock: ClockDep, submission_id: str) -> ContactOut:
    submission = await service.get(session, submission_id)
    await contacts.record_reads(
        session, submissions=[submission], via="contact", actor=actor_of(principal), clock=clock
    )
    return contacts.contact_out(submission)


@office_router.get(
    "/{submission_id}/similar",
    summary="最相似的五个在办问题 / The five most similar open issues",
    responses=problem_responses(401, 403, 404),
)
async def similar_issues(session: SessionDep, _: StaffDep, submission_id: str) -> list[SimilarIssue]:
    submission = await service.get(session, submission_id)
    return list(await similar.similar_issues(session, submission=submission))


@office_router.get(
    "/{submission_id}/public-view",
    summary="公众看到的页面（预览）/ The submitter's page as they see it (preview)",
    responses=problem_responses(401, 403, 404),
)
async def preview(session: SessionDep, _: StaffDep, submission_id: str) -> PublicSubmission:
    submission = await service.get(session, submission_id)
    # The office never sees the code itself: only its last group.
    return await public_view(session, submission=submission, tracking_code=f"····-····-····-{submission.code_hint}")


async def _answer(session: AsyncSession, submission: Submission, *, principal: Principal, clock: Clock) -> IntakeOut:
    """A decision's answer shows the submission as before, contacts included: that read is audited too."""
    await contacts.record_reads(
        session, submissions=[submission], via="decision", actor=actor_of(principal), clock=clock
    )
    return contacts.intake_out(submission, contacts=True)


@office_router.post(
    "/{submission_id}/accept",
    summary="受理并纳入台账（可同时交办）/ Accept into the ledger (and assign at once)",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def accept(
    session: SessionDep, principal: StaffDep, clock: ClockDep, submission_id: str, body: AcceptBody | None = None
) -> IntakeOut:
    submission = await triage.accept(
        session, submission_id=submission_id, data=body or AcceptBody(), viewer=Viewer.of(principal), clock=clock
    )
    return await _answer(session, submission, principal=principal, clock=clock)


@office_router.post(
    "/{submission_id}/merge",
    summary="重复诉求并入已有问题 / Merge into an existing issue",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def merge(
    session: SessionDep, principal: StaffDep, clock: ClockDep, submission_id: str, body: MergeBody
) -> IntakeOut:
    submission = await triage.merge(
        session, submission_id=submission_id, data=body, viewer=Viewer.of(principal), clock=clock
    )
    return await _answer(session, submission, principal=principal, clock=clock)


@office_router.post(
    "/{submission_id}/reject",
    summary="不予受理（理由公开）/ Reject with a public reason",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def reject(
    session: SessionDep, principal: StaffDep, clock: ClockDep, submission_id: str, body: RejectBody
) -> IntakeOut:
    submission = await triage.reject(
        session, submission_id=submission_id, data=body, viewer=Viewer.of(principal), clock=clock
    )
    return await _answer(session, submission, principal=principal, clock=clock)


@office_router.post(
    "/{submission_id}/reply",
    summary="对外答复（每条都保留）/ Add a public reply (every one is kept)",
    responses=problem_responses(401, 403, 404, 422),
)
async def reply(
    session: SessionDep, principal: StaffDep, clock: ClockDep, submission_id: str, body: ReplyBody
) -> IntakeOut:
    submission = await triage.reply(
        session, submission_id=submission_id, text=body.reply, viewer=Viewer.of(principal), clock=clock
    )
    return await _answer(session, submission, principal=principal, clock=clock)


@office_router.post(
    "/{submission_id}/followup",
    summary="处理不满意：重新办理或答复说明 / Settle a 'not satisfied': reopen, or answer why not",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def follow_up(
    session: SessionDep, principal: StaffDep, clock: ClockDep, submission_id: str, body: FollowupBody
) -> IntakeOut:
    submission = await followup.follow_up(
        session, submission_id=submission_id, data=body, viewer=Viewer.of(principal), clock=clock
    )
    return await _answer(session, submission, principal=principal, clock=clock)
