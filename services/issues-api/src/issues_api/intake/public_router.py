"""HTTP routes of the public pages (no account): submit, follow, rate, appeal, and their own text back.

The gateway limits the writes here per client address (`GATEWAY_RATE_LIMITS__PUBLIC_*`); issues-api adds its
own per-address cap on new submissions and per-code cap on phone-tail guesses (`ISSUES_INTAKE__*`).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse, Response
from pydantic import TypeAdapter

from issues_api.intake import followup, reveal, service, tracking
from issues_api.intake.deps import IntakeSettingsDep, OriginDep
from issues_api.intake.errors import SubmissionNotFound
from issues_api.intake.public import READ_PAGE, public_view, view_of_rows
from issues_api.intake.schemas import (
    AppealBody,
    FeedbackCreate,
    PublicSubmission,
    RevealBody,
    RevealedSubmission,
    SubmissionCreate,
    SubmissionCreated,
)
from issues_api.ledger.deps import IdempotencyDep
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep, fetch_rows, get_database
from rectify_kit.direct import direct
from rectify_kit.errors import problem_response, problem_responses

public_router = APIRouter(prefix="/public/submissions", tags=["public"])


@public_router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=SubmissionCreated,
    summary="提交诉求（无需登录）/ Submit a complaint (no account)",
    description=(
        "Accepts `Idempotency-Key` (one per form fill: a double tap answers the first submission). The same "
        "title and text from one address within 24 h answers the first one's tracking code (`folded`). "
        "`website` is a trap for robots and must stay empty."
    ),
    responses=problem_responses(409, 422, 429),
)
async def submit(
    session: SessionDep,
    clock: ClockDep,
    origin: OriginDep,
    settings: IntakeSettingsDep,
    idempotency: IdempotencyDep,
    body: SubmissionCreate,
) -> JSONResponse:
    async def produce() -> SubmissionCreated:
        return await service.submit_public(
            session,
            data=body,
            origin=origin,
            fold_hours=settings.fold_hours,
            per_day=settings.per_address_per_day,
            clock=clock,
        )

    return await idempotency.run(session, owner=f"public:{origin.address_hash}", produce=produce)


_PAGE = TypeAdapter(PublicSubmission)


@public_router.get(
    "/{code}",
    response_model=PublicSubmission,
    summary="按查询码查看办理进度 / Follow a submission by its code",
    responses=problem_responses(404),
)
@direct
async def follow(request: Request, code: str) -> Response:
    # What a surge of submitters checking their codes lands on: answered from the edge (rectify_kit.direct), the
    # page read in one statement on a read connection (public.READ_PAGE) and validated once, written straight to
    # the bytes FastAPI wrote from the response model (test_public_page.py holds them to `public_view`'s).
    normalized = tracking.normalize(code)
    if normalized is None:
        raise SubmissionNotFound()
    async with get_database(request).read_connection() as connection:
        rows = await fetch_rows(connection, READ_PAGE, {"tracking_hash": tracking.code_hash(normalized)})
    page = view_of_rows(rows, tracking_code=tracking.display(code))
    if page is None:
        raise SubmissionNotFound()
    return Response(_PAGE.dump_json(page), media_type="application/json")


@public_router.post(
    "/{code}/feedback",
    summary="办结后评价（1-2 分为不满意）/ Rate the result once closed (1-2: not satisfied)",
    responses=problem_responses(404, 409, 422),
)
async def feedback(session: SessionDep, clock: ClockDep, code: str, body: FeedbackCreate) -> PublicSubmission:
    submission = await service.find_by_code(session, code)
    await followup.give_feedback(session, submission=submission, data=body, clock=clock)
    return await public_view(session, submission=submission, tracking_code=tracking.display(code))


@public_router.post(
    "/{code}/appeal",
    summary="对不满意答复申诉（一次）/ Appeal the office's answer (once)",
    responses=problem_responses(404, 409, 422),
)
async def appeal(session: SessionDep, clock: ClockDep, code: str, body: AppealBody) -> PublicSubmission:
    submission = await service.find_by_code(session, code)
    await followup.appeal(session, submission=submission, data=body, clock=clock)
    return await public_view(session, submission=submission, tracking_code=tracking.display(code))


@public_router.post(
    "/{code}/reveal",
    response_model=RevealedSubmission,
    summary="凭手机号后四位查看提交全文 / Your whole submission, with the last four digits of your phone",
    responses=problem_responses(403, 404, 422, 429),
)
async def reveal_own(
    request: Request, session: SessionDep, clock: ClockDep, settings: IntakeSettingsDep, code: str, body: RevealBody
) -> RevealedSubmission | JSONResponse:
    submission = await service.find_by_code(session, code)
    outcome = await reveal.reveal(
        session,
        submission=submission,
        phone_last4=body.phone_last4,
        attempts_per_day=settings.reveal_attempts_per_day,
        clock=clock,
    )
    if isinstance(outcome, RevealedSubmission):
        return outcome
    # Answered, not raised: the wrong guess it counted must commit with the answer.
    p = outcome.problem
    return problem_response(
        request,
        status=p.status,
        code=p.code,
        title_zh=p.title_zh,
        title_en=p.title_en,
        detail=p.detail,
        headers=p.headers,
        **p.extra,
    )
