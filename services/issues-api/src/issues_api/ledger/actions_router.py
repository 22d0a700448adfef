"""HTTP for the workflow steps: one route per action of the workflow table, each answering the issue.

The steps answering the issue are answered from the edge (`@answered_at_the_edge`, step_answers.py): these same
endpoints, given their arguments without FastAPI's solving; a dependency added here would be skipped there."""

from __future__ import annotations

from fastapi import APIRouter

from issues_api.ledger import steps
from issues_api.ledger.deps import ViewerDep
from issues_api.ledger.presenter import detail
from issues_api.ledger.schemas import (
    AcceptBody,
    AssignBody,
    CloseBody,
    CompletionBody,
    ContentBody,
    ExtensionDecisionBody,
    ExtensionOut,
    ExtensionRequestBody,
    IssueDetail,
    ProgressBody,
    ReasonBody,
    ReturnBody,
)
from issues_api.ledger.step_answers import answered_at_the_edge
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import problem_responses

router = APIRouter()
ERRORS = problem_responses(401, 403, 404, 409, 422)


@router.post("/{issue_id}/assign", response_model=IssueDetail, summary="交办 / Assign to units", responses=ERRORS)
@answered_at_the_edge
async def assign(
    issue_id: str, body: AssignBody, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> IssueDetail:
    issue = await steps.assign(session, issue_id=issue_id, body=body, viewer=viewer, clock=clock)
    return await detail(session, issue=issue, viewer=viewer, clock=clock)


@router.post("/{issue_id}/reassign", response_model=IssueDetail, summary="改派 / Reassign", responses=ERRORS)
@answered_at_the_edge
async def reassign(
    issue_id: str, body: AssignBody, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> IssueDetail:
    issue = await steps.reassign(session, issue_id=issue_id, body=body, viewer=viewer, clock=clock)
    return await detail(session, issue=issue, viewer=viewer, clock=clock)


@router.post("/{issue_id}/accept", response_model=IssueDetail, summary="签收 / Accept (lead unit)", responses=ERRORS)
@answered_at_the_edge
async def accept(
    issue_id: str, session: SessionDep, viewer: ViewerDep, clock: ClockDep, body: AcceptBody | None = None
) -> IssueDetail:
    note = body.note if body is not None else None
    issue = await steps.accept(session, issue_id=issue_id, viewer=viewer, clock=clock, note=note)
    return await detail(session, issue=issue, viewer=viewer, clock=clock)


@router.post("/{issue_id}/return", response_model=IssueDetail, summary="退回 / Return (lead unit)", responses=ERRORS)
@answered_at_the_edge
async def return_issue(
    issue_id: str, body: ReturnBody, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> IssueDetail:
    issue = await steps.return_issue(session, issue_id=issue_id, body=body, viewer=viewer, clock=clock)
    return await detail(session, issue=issue, viewer=viewer, clock=clock)


@router.post("/{issue_id}/progress", response_model=IssueDetail, summary="报告进展 / Report progress", responses=ERRORS)
@answered_at_the_edge
async def progress(
    issue_id: str, body: ProgressBody, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> IssueDetail:
    issue = await steps.report_progress(session, issue_id=issue_id, body=body, viewer=viewer, clock=clock)
    return await detail(session, issue=issue, viewer=viewer, clock=clock)


@router.post(
    "/{issue_id}/submit-completion",
    response_model=IssueDetail,
    summary="提交整改结果 / Submit completion",
    responses=ERRORS,
)
@answered_at_the_edge
async def submit_completion(
    issue_id: str, body: CompletionBody, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> IssueDetail:
    issue = await steps.submit_completion(session, issue_id=issue_id, body=body, viewer=viewer, clock=clock)
    return await detail(session, issue=issue, viewer=viewer, clock=clock)


@router.post("/{issue_id}/close", response_model=IssueDetail, summary="销号 / Close", responses=ERRORS)
@answered_at_the_edge
async def close(issue_id: str, body: CloseBody, session: SessionDep, viewer: ViewerDep, clock: ClockDep) -> IssueDetail:
    issue = await steps.close(session, issue_id=issue_id, body=body, viewer=viewer, clock=clock)
    return await detail(session, issue=issue, viewer=viewer, clock=clock)


@router.post(
    "/{issue_id}/reject-completion",
    response_model=IssueDetail,
    summary="退回重改 / Reject completion",
    responses=ERRORS,
)
@answered_at_the_edge
async def reject_completion(
    issue_id: str, body: ReasonBody, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> IssueDetail:
    issue = await steps.reject_completion(session, issue_id=issue_id, body=body, viewer=viewer, clock=clock)
    return await detail(session, issue=issue, viewer=viewer, clock=clock)


@router.post("/{issue_id}/reopen", response_model=IssueDetail, summary="重新打开 / Reopen", responses=ERRORS)
@answered_at_the_edge
async def reopen(
    issue_id: str, body: ReasonBody, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> IssueDetail:
    issue = await steps.reopen(session, issue_id=issue_id, body=body, viewer=viewer, clock=clock)
    return await detail(session, issue=issue, viewer=viewer, clock=clock)


@router.post("/{issue_id}/cancel", response_model=IssueDetail, summary="撤销 / Cancel", responses=ERRORS)
@answered_at_the_edge
async def cancel(
    issue_id: str, body: ReasonBody, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> IssueDetail:
    issue = await steps.cancel(session, issue_id=issue_id, body=body, viewer=viewer, clock=clock)
    return await detail(session, issue=issue, viewer=viewer, clock=clock)


@router.post("/{issue_id}/urge", response_model=IssueDetail, summary="催办 / Urge", responses=ERRORS)
@answered_at_the_edge
async def urge(
    issue_id: str, body: ContentBody, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> IssueDetail:
    issue = await steps.urge(session, issue_id=issue_id, body=body, viewer=viewer, clock=clock)
    return await detail(session, issue=issue, viewer=viewer, clock=clock)


@router.post(
    "/{issue_id}/instructions", response_model=IssueDetail, summary="领导批示 / Instruct (leaders)", responses=ERRORS
)
@answered_at_the_edge
async def instruct(
    issue_id: str, body: ContentBody, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> IssueDetail:
    issue = await steps.instruct(session, issue_id=issue_id, body=body, viewer=viewer, clock=clock)
    return await detail(session, issue=issue, viewer=viewer, clock=clock)


@router.post(
    "/{issue_id}/extension-requests",
    status_code=201,
    response_model=ExtensionOut,
    summary="申请延期 / Request an extension",
    responses=ERRORS,
)
async def request_extension(
    issue_id: str, body: ExtensionRequestBody, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> ExtensionOut:
    _, ext = await steps.request_extension(session, issue_id=issue_id, body=body, viewer=viewer, clock=clock)
    return ExtensionOut.model_validate(ext, from_attributes=True)


@router.post(
    "/{issue_id}/extension-requests/{extension_id}/decision",
    response_model=IssueDetail,
    summary="审批延期 / Decide an extension request",
    responses=ERRORS,
)
@answered_at_the_edge
async def decide_extension(
    issue_id: str,
    extension_id: str,
    body: ExtensionDecisionBody,
    session: SessionDep,
    viewer: ViewerDep,
    clock: ClockDep,
) -> IssueDetail:
    issue, _ = await steps.decide_extension(
        session, issue_id=issue_id, extension_id=extension_id, body=body, viewer=viewer, clock=clock
    )
    return await detail(session, issue=issue, viewer=viewer, clock=clock)


@router.post(
    "/{issue_id}/co-units/{unit_id}/accept",
    response_model=IssueDetail,
    summary="协办单位签收 / A co-unit accepts its part",
    responses=ERRORS,
)
@answered_at_the_edge
async def co_unit_accept(
    issue_id: str, unit_id: str, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> IssueDetail:
    issue = await steps.co_unit_accept(session, issue_id=issue_id, unit_id=unit_id, viewer=viewer, clock=clock)
    return await detail(session, issue=issue, viewer=viewer, clock=clock)


@router.post(
    "/{issue_id}/co-units/{unit_id}/contribution",
    response_model=IssueDetail,
    summary="协办单位报送 / A co-unit files its contribution",
    responses=ERRORS,
)
@answered_at_the_edge
async def co_unit_contribute(
    issue_id: str, unit_id: str, body: ContentBody, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> IssueDetail:
    issue = await steps.co_unit_contribute(
        session, issue_id=issue_id, unit_id=unit_id, body=body, viewer=viewer, clock=clock
    )
    return await detail(session, issue=issue, viewer=viewer, clock=clock)


@router.post(
    "/{issue_id}/co-units/{unit_id}/waive",
    response_model=IssueDetail,
    summary="免除协办 / The office waives a co-unit's part",
    responses=ERRORS,
)
@answered_at_the_edge
async def co_unit_waive(
    issue_id: str, unit_id: str, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> IssueDetail:
    issue = await steps.co_unit_waive(session, issue_id=issue_id, unit_id=unit_id, viewer=viewer, clock=clock)
    return await detail(session, issue=issue, viewer=viewer, clock=clock)
