"""HTTP routes of the intake: the public ones (no account) and the office's triage."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from issues_api.auth.dependencies import StaffDep
from issues_api.events.service import actor_of
from issues_api.intake import repository, service, tracking
from issues_api.intake.errors import SubmissionNotFound
from issues_api.intake.public import public_view
from issues_api.intake.schemas import (
    AcceptBody,
    FeedbackCreate,
    IntakeOut,
    IntakeStatus,
    MergeBody,
    PublicSubmission,
    RejectBody,
    ReplyBody,
    SubmissionCreate,
    SubmissionCreated,
)
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import problem_responses
from rectify_kit.pagination import Page

public_router = APIRouter(prefix="/public/submissions", tags=["public"])
office_router = APIRouter(prefix="/intake", tags=["intake"])


@public_router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="提交诉求（无需登录）/ Submit a complaint (no account)",
    responses=problem_responses(422),
)
async def submit(session: SessionDep, clock: ClockDep, body: SubmissionCreate) -> SubmissionCreated:
    _, code = await service.submit(session, data=body, clock=clock)
    return SubmissionCreated(tracking_code=code)


@public_router.get(
    "/{code}", summary="按查询码查看办理进度 / Follow a submission by its code", responses=problem_responses(404)
)
async def follow(session: SessionDep, code: str) -> PublicSubmission:
    submission = await service.find_by_code(session, code)
    return await public_view(session, submission=submission, tracking_code=tracking.display(code))


@public_router.post(
    "/{code}/feedback",
    summary="办结后评价 / Rate the result once closed",
    responses=problem_responses(404, 409, 422),
)
async def feedback(session: SessionDep, clock: ClockDep, code: str, body: FeedbackCreate) -> PublicSubmission:
    submission = await service.find_by_code(session, code)
    await service.give_feedback(session, submission=submission, data=body, clock=clock)
    return await public_view(session, submission=submission, tracking_code=tracking.display(code))


@office_router.get(
    "",
    response_model=Page[IntakeOut],
    summary="诉求列表 / Submissions to triage",
    responses=problem_responses(401, 403),
)
async def list_submissions(
    session: SessionDep,
    _: StaffDep,
    status: IntakeStatus | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[IntakeOut]:
    items, next_cursor, total = await service.list_submissions(session, status=status, cursor=cursor, limit=limit)
    return Page(items=[IntakeOut.model_validate(s) for s in items], next_cursor=next_cursor, total=total)


@office_router.get("/{submission_id}", summary="诉求详情 / A submission", responses=problem_responses(401, 403, 404))
async def get_submission(session: SessionDep, _: StaffDep, submission_id: str) -> IntakeOut:
    submission = await repository.get(session, submission_id)
    if submission is None:
        raise SubmissionNotFound()
    return IntakeOut.model_validate(submission)


@office_router.post(
    "/{submission_id}/accept",
    summary="受理并纳入台账 / Accept into the ledger",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def accept(
    session: SessionDep, principal: StaffDep, clock: ClockDep, submission_id: str, body: AcceptBody | None = None
) -> IntakeOut:
    submission = await service.accept(
        session, submission_id=submission_id, data=body or AcceptBody(), actor=actor_of(principal), clock=clock
    )
    return IntakeOut.model_validate(submission)


@office_router.post(
    "/{submission_id}/merge",
    summary="重复诉求并入已有问题 / Merge into an existing issue",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def merge(
    session: SessionDep, principal: StaffDep, clock: ClockDep, submission_id: str, body: MergeBody
) -> IntakeOut:
    submission = await service.merge(
        session, submission_id=submission_id, data=body, actor=actor_of(principal), clock=clock
    )
    return IntakeOut.model_validate(submission)


@office_router.post(
    "/{submission_id}/reject",
    summary="不予受理（理由公开）/ Reject with a public reason",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def reject(
    session: SessionDep, principal: StaffDep, clock: ClockDep, submission_id: str, body: RejectBody
) -> IntakeOut:
    submission = await service.reject(
        session, submission_id=submission_id, data=body, actor=actor_of(principal), clock=clock
    )
    return IntakeOut.model_validate(submission)


@office_router.post(
    "/{submission_id}/reply",
    summary="对外答复 / Set the public reply",
    responses=problem_responses(401, 403, 404, 422),
)
async def reply(
    session: SessionDep, principal: StaffDep, clock: ClockDep, submission_id: str, body: ReplyBody
) -> IntakeOut:
    submission = await service.reply(
        session, submission_id=submission_id, text=body.reply, actor=actor_of(principal), clock=clock
    )
    return IntakeOut.model_validate(submission)
